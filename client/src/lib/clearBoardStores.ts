/**
 * Removes this device's offline copies of boards (the y-indexeddb databases named `board:<id>` and
 * `bookings:<id>`) and the queue of unsent booking intents (`intents`), so the next person signing
 * in on a shared phone does not find the last one's cards or send their claims.
 */
import { INTENTS_DB } from './intentStore.ts';

const PREFIXES = ['board:', 'bookings:'];

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
 * Deletes every `board:*` and `bookings:*` database and the intent queue. `knownBoardIds` covers
 * browsers without `indexedDB.databases()`. Never rejects; gives up waiting after `timeoutMs`.
 */
export async function clearBoardStores(knownBoardIds: string[] = [], timeoutMs = 4000): Promise<void> {
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
