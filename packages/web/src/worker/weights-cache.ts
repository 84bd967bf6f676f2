// Parsed weights kept in IndexedDB, so a reload builds the network from plain Float32 data without
// fetching or parsing the HDF5 file again. The data is keyed by the file's SHA-256; the index says
// where it came from (`server|<model>` or `user|<model>`), so a user's file never passes for the
// server's, whatever its name and size.
import type { CachedWeights, WeightsOrigin } from './protocol';

const DB_NAME = 'gradcam-explorer';
/** Bump when the stored layout changes: older entries are then deleted. */
const FORMAT = 2;
const INDEX = 'index';
const DATA = 'weights';

export interface StoredWeights {
  /** Variable names in model.weights order (checked on load). */
  names: string[];
  shapes: number[][];
  /** All values, concatenated in the same order. */
  data: Float32Array;
}

type IndexRecord = CachedWeights & { format: number };

export const entryId = (origin: WeightsOrigin, modelId: string): string =>
  `${origin.kind}|${modelId}`;
const dataKey = (sha256: string) => `sha256:${sha256}`;

/** Hex SHA-256 of a file's bytes. */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(INDEX)) db.createObjectStore(INDEX);
      if (!db.objectStoreNames.contains(DATA)) db.createObjectStore(DATA);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is unavailable'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function completed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Runs `body` in one read-write transaction over both stores. */
async function write(body: (index: IDBObjectStore, data: IDBObjectStore) => Promise<void>) {
  const db = await open();
  try {
    const tx = db.transaction([INDEX, DATA], 'readwrite');
    const finished = completed(tx);
    try {
      await body(tx.objectStore(INDEX), tx.objectStore(DATA));
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // already finished
      }
      await finished.catch(() => undefined);
      throw e;
    }
    await finished;
  } finally {
    db.close();
  }
}

/** Deletes the index entry `id`, and its data when no other entry shares that content. */
async function remove(index: IDBObjectStore, data: IDBObjectStore, id: string): Promise<void> {
  const old = (await done(index.get(id))) as IndexRecord | undefined;
  if (!old) return;
  index.delete(id);
  const all = (await done(index.getAll())) as IndexRecord[];
  if (!all.some((e) => e.id !== id && e.sha256 === old.sha256)) data.delete(dataKey(old.sha256));
}

export async function listCached(): Promise<CachedWeights[]> {
  const db = await open();
  let all: IndexRecord[];
  let keys: IDBValidKey[];
  try {
    const tx = db.transaction(INDEX);
    [all, keys] = await Promise.all([
      done(tx.objectStore(INDEX).getAll()) as Promise<IndexRecord[]>,
      done(tx.objectStore(INDEX).getAllKeys()),
    ]);
  } finally {
    db.close();
  }
  // Entries of an older layout (format 1 was keyed by name and size): deleted, data included.
  const stale = keys.filter((_, i) => all[i].format !== FORMAT);
  if (stale.length) {
    await write(async (index, data) => {
      for (const k of stale) {
        index.delete(k);
        data.delete(k);
      }
    }).catch(() => undefined);
  }
  return all
    .filter((e) => e.format === FORMAT)
    .map(({ id, modelId, sha256, bytes, origin, savedAt }) => ({
      id,
      modelId,
      sha256,
      bytes,
      origin,
      savedAt,
    }));
}

export async function readCached(
  id: string,
): Promise<{ entry: CachedWeights; weights: StoredWeights } | null> {
  const db = await open();
  try {
    const tx = db.transaction([INDEX, DATA]);
    const entry = (await done(tx.objectStore(INDEX).get(id))) as IndexRecord | undefined;
    if (!entry || entry.format !== FORMAT) return null;
    const weights = (await done(tx.objectStore(DATA).get(dataKey(entry.sha256)))) as
      StoredWeights | undefined;
    return weights ? { entry, weights } : null;
  } finally {
    db.close();
  }
}

/** Stores `weights` as the network's copy from `entry.origin`, replacing the previous one. */
export async function writeCached(
  entry: Omit<CachedWeights, 'id' | 'savedAt'>,
  weights: StoredWeights,
): Promise<void> {
  const id = entryId(entry.origin, entry.modelId);
  await write(async (index, data) => {
    await remove(index, data, id);
    data.put(weights, dataKey(entry.sha256));
    const record: IndexRecord = { ...entry, id, savedAt: Date.now(), format: FORMAT };
    index.put(record, id);
  });
}

export async function deleteCached(id: string): Promise<void> {
  await write((index, data) => remove(index, data, id));
}

/** Forgets every copy of a file the user chose (Reset). */
export async function deleteUserCached(): Promise<void> {
  await write(async (index, data) => {
    const all = (await done(index.getAll())) as IndexRecord[];
    for (const e of all) if (e.origin?.kind === 'user') await remove(index, data, e.id);
  });
}
