/**
 * The device store of unsent booking intents: a small IndexedDB database of its own (`intents`,
 * one object store keyed by intentId), apart from the Yjs copies, because intents are not document
 * state: each is one request waiting for the network. Falls back to memory where IndexedDB is
 * unavailable. The connection is closed whenever someone deletes the database (sign-out), so the
 * delete is never blocked by an open board.
 */
import type { QueuedIntent } from './intentQueue.ts';

export const INTENTS_DB = 'intents';
const STORE = 'intents';

export interface IntentStore {
  all(): Promise<QueuedIntent[]>;
  put(intent: QueuedIntent): Promise<void>;
  delete(intentId: string): Promise<void>;
}

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** An IndexedDB-backed store, or a memory one when IndexedDB cannot be used. Nothing to clean up. */
export function makeIntentStore(name = INTENTS_DB): IntentStore {
  if (typeof indexedDB === 'undefined') return makeMemoryIntentStore();
  const memory = makeMemoryIntentStore();
  let db: Promise<IDBDatabase | null> | null = null;

  const open = (): Promise<IDBDatabase | null> => {
    db ??= new Promise<IDBDatabase | null>((resolve) => {
      let req: IDBOpenDBRequest;
      try {
        req = indexedDB.open(name, 1);
      } catch {
        return resolve(null);
      }
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'intentId' });
      };
      req.onsuccess = () => {
        const conn = req.result;
        conn.onversionchange = () => {
          conn.close();
          db = null;
        };
        conn.onclose = () => {
          db = null;
        };
        resolve(conn);
      };
      // Private windows in some browsers refuse IndexedDB: keep intents for this session only.
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    });
    return db;
  };

  const withStore = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>, fallback: () => Promise<T>): Promise<T> => {
    const conn = await open();
    if (!conn) return fallback();
    try {
      return await promised(fn(conn.transaction(STORE, mode).objectStore(STORE)));
    } catch {
      db = null; // closed under us (sign-out): reopen next time
      return fallback();
    }
  };

  return {
    all: () => withStore('readonly', (s) => s.getAll() as IDBRequest<QueuedIntent[]>, memory.all),
    put: async (intent) => {
      await withStore('readwrite', (s) => s.put(intent), () => memory.put(intent).then(() => 'x' as IDBValidKey));
    },
    delete: async (intentId) => {
      await memory.delete(intentId);
      await withStore('readwrite', (s) => s.delete(intentId), async () => undefined);
    },
  };
}

/** A store that lives as long as the page (tests, browsers without IndexedDB). */
export function makeMemoryIntentStore(): IntentStore {
  const items = new Map<string, QueuedIntent>();
  return {
    all: async () => [...items.values()],
    put: async (intent) => void items.set(intent.intentId, intent),
    delete: async (intentId) => void items.delete(intentId),
  };
}
