// An HDF5 file held in memory, opened through h5wasm's in-memory file system.
import h5wasm from 'h5wasm';

export type H5File = InstanceType<typeof h5wasm.File>;

/**
 * Compressed datasets may declare at most this many times the file's size. Keras never compresses
 * weights; the bound only stops a small hostile file from making us allocate gigabytes.
 */
export const MAX_COMPRESSION = 16;

let counter = 0;

/**
 * Opens `bytes` as HDF5, runs `read` on it with HDF5 errors thrown as exceptions (instead of
 * HDF5-DIAG text on stderr), and always closes and removes the in-memory file. Without `copy`, the
 * bytes are handed over as they are and must not be modified while this runs; with it, the
 * caller's buffer stays untouched (and may be transferred by a worker).
 */
export async function withH5File<T>(
  bytes: Uint8Array,
  read: (file: H5File) => T,
  copy = false,
): Promise<T> {
  const module = await h5wasm.ready;
  const FS = module.FS as unknown as {
    writeFile(path: string, data: Uint8Array, opts: { canOwn: boolean }): void;
    unlink(path: string): void;
  };
  const path = `/gradcam-explorer-${++counter}.h5`;
  FS.writeFile(path, copy ? bytes.slice() : bytes, { canOwn: true });
  module.activate_throwing_error_handler();
  let file: H5File | undefined;
  try {
    file = new h5wasm.File(path, 'r');
    return read(file);
  } finally {
    try {
      file?.close();
    } catch {
      // A damaged file may refuse to close; it is unlinked either way.
    }
    module.deactivate_throwing_error_handler();
    FS.unlink(path);
  }
}
