/**
 * Removes this device's offline copies of boards (the y-indexeddb databases named `board:<id>` and
 * `bookings:<id>`), the queue of unsent booking intents (`intents`), every `delivery-board:*` key
 * in localStorage (unconfirmed-change counts, last sync times, preferences) and any Cache Storage
 * entry that is not the app shell, so the next person signing in on a shared phone does not find
 * the last one's cards or send their claims. (The service worker caches no API answers today; the
 * last rule keeps it that way should one ever be added.)
 */
import { INTENTS_DB } from './intentStore.ts';

const PREFIXES = ['board:', 'bookings:'];
/** Every localStorage key the app writes starts with this, but session.ts's pending-logout flag, which must outlive sign-out. */
export const DEVICE_KEY_PREFIX = 'delivery-board:';
/** Cache Storage names of the app shell (client/serviceWorker/sw.js): not user data. */
const SHELL_CACHE_PREFIX = 'delivery-board-shell-';

/** Deletes the app's localStorage keys (all of them: they describe this user's boards). */
export function clearDeviceKeys(storage: Storage | null = globalThis.localStorage ?? null): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < (storage?.length ?? 0); i++) {
      const key = storage!.key(i);
      if (key?.startsWith(DEVICE_KEY_PREFIX)) keys.push(key);
    }
    for (const key of keys) storage!.removeItem(key);
  } catch {
    // Storage disabled: nothing was stored either.
  }
}

async function clearDataCaches(): Promise<void> {
  if (typeof caches === 'undefined') return;
  try {
    for (const name of await caches.keys()) if (!name.startsWith(SHELL_CACHE_PREFIX)) await caches.delete(name);
  } catch {
    // Cache Storage unavailable (insecure origin): nothing cached.
  }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    // `blocked` is not terminal: the delete completes once open connections (a board view that is
    // still unmounting) close, and then success fires.
    req.onsuccess = () => resolve();
    req.onerror = () => resolve();
  });
}

/**
 * Deletes the device keys and data caches, then every `board:*` and `bookings:*` database and the
 * intent queue. `knownBoardIds` covers browsers without `indexedDB.databases()`. Never rejects;
 * gives up waiting after `timeoutMs`.
 */
export async function clearBoardStores(knownBoardIds: string[] = [], timeoutMs = 4000): Promise<void> {
  clearDeviceKeys();
  await clearDataCaches();
  if (typeof indexedDB === 'undefined') return;
  const names = new Set([INTENTS_DB, ...knownBoardIds.flatMap((id) => PREFIXES.map((p) => p + id))]);
  try {
    for (const db of await indexedDB.databases()) {
      if (db.name && PREFIXES.some((p) => db.name!.startsWith(p))) names.add(db.name);
    }
  } catch {
    // databases() is missing in older browsers: the known ids are all we can do.
  }
  const all = Promise.all([...names].map(deleteDatabase)).then(() => undefined);
  await Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
}
