// Parsed weights kept in IndexedDB, keyed by the .h5 file's name and size, so a reload builds the
// network from plain Float32 data without fetching or parsing the HDF5 file again.
import type { CachedWeights, WeightsKey } from './protocol';

const DB_NAME = 'gradcam-explorer';
/** Bump when the stored layout changes: older entries are then ignored and replaced. */
const FORMAT = 1;
const INDEX = 'index';
const DATA = 'weights';

export interface StoredWeights {
  /** Variable names in model.weights order (checked on load). */
  names: string[];
  shapes: number[][];
  /** All values, concatenated in the same order. */
  data: Float32Array;
}

export const cacheKey = (k: WeightsKey): string => `${k.fileName}|${k.bytes}|v${FORMAT}`;

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

export async function listCached(): Promise<CachedWeights[]> {
  const db = await open();
  try {
    const all = (await done(
      db.transaction(INDEX).objectStore(INDEX).getAll(),
    )) as (CachedWeights & {
      format: number;
    })[];
    return all
      .filter((e) => e.format === FORMAT)
      .map(({ fileName, bytes, modelId, savedAt }) => ({ fileName, bytes, modelId, savedAt }));
  } finally {
    db.close();
  }
}

export async function readCached(key: WeightsKey): Promise<StoredWeights | null> {
  const db = await open();
  try {
    const v = (await done(db.transaction(DATA).objectStore(DATA).get(cacheKey(key)))) as
      StoredWeights | undefined;
    return v ?? null;
  } finally {
    db.close();
  }
}

export async function writeCached(
  key: WeightsKey,
  modelId: string,
  weights: StoredWeights,
): Promise<void> {
  const db = await open();
  try {
    const tx = db.transaction([INDEX, DATA], 'readwrite');
    const k = cacheKey(key);
    tx.objectStore(DATA).put(weights, k);
    tx.objectStore(INDEX).put({ ...key, modelId, savedAt: Date.now(), format: FORMAT }, k);
    await completed(tx);
  } finally {
    db.close();
  }
}

export async function deleteCached(key: WeightsKey): Promise<void> {
  const db = await open();
  try {
    const tx = db.transaction([INDEX, DATA], 'readwrite');
    tx.objectStore(DATA).delete(cacheKey(key));
    tx.objectStore(INDEX).delete(cacheKey(key));
    await completed(tx);
  } finally {
    db.close();
  }
}
