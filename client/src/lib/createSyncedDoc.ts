/**
 * One synced Yjs document: a Y.Doc kept on this device by y-indexeddb and synced with the server by
 * the stock y-websocket provider. Each board has two (ARCHITECTURE.md "One board = two Yjs
 * documents"): the board document (createBoardDoc.ts) and the server-written bookings document
 * (createBookingsDoc.ts). Owns the connection status the UI shows, and tears everything down with
 * its reactive owner.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { CloseCode } from '@delivery-board/schema/types';

export type SyncStatus = 'connecting' | 'connected' | 'offline' | 'closed';

export interface SyncedDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /**
   * True once the device copy has been loaded into `doc` (or IndexedDB turned out to be unusable).
   * Until then the document is not shown and nothing is written, so an empty doc is never mistaken
   * for an empty board.
   */
  loaded: Accessor<boolean>;
  /**
   * True while connected and the first sync exchange with the server is complete: the server then
   * has everything this device had (the client's reply to the server's sync step 1 goes out before
   * the server's step 2 arrives). Goes false on disconnect, true again after the next sync.
   */
  synced: Accessor<boolean>;
  /** Whether edits reach the server right now. */
  status: Accessor<SyncStatus>;
  /** Set when the server ended the connection for good (4401 no session, 4403 not a member, 4404...). */
  closed: Accessor<{ code: number; reason: string } | null>;
  /** False when the document is kept in memory only (no IndexedDB, e.g. some private windows). */
  persisted: Accessor<boolean>;
}

export interface SyncedDocOptions {
  /** y-websocket room: `<boardId>` or `<boardId>/bookings` (the URL is `<syncUrl>/<room>`). */
  room: string;
  /** IndexedDB database holding the device copy, e.g. `board:<id>`. */
  storeName: string;
  /** Shown to others through awareness (presence), never stored. */
  user?: { id: string; name: string };
  /** Websocket base URL; defaults to this origin's `/sync`. */
  syncUrl?: string;
  /** Keep a device copy in IndexedDB (default true when IndexedDB exists). */
  persist?: boolean;
  /** Called when the server says this user's role changed (close 4001; the provider reconnects). */
  onRoleChanged?: () => void;
}

/** The `ws(s)://host/sync` URL for the page's own origin. */
export function defaultSyncUrl(): string {
  return location.origin.replace(/^http/, 'ws') + '/sync';
}

/** Creates the doc, its device store and sync connection; all are destroyed with the owner. */
export function createSyncedDoc(opts: SyncedDocOptions): SyncedDoc {
  const doc = new Y.Doc();
  // Connect only after the device copy is loaded: the first sync step then carries our offline
  // edits' state vector, and the UI never renders a half-loaded document.
  const provider = new WebsocketProvider(opts.syncUrl ?? defaultSyncUrl(), opts.room, doc, { connect: false });
  if (opts.user) provider.awareness.setLocalStateField('user', opts.user);

  const [loaded, setLoaded] = createSignal(false);
  const [synced, setSynced] = createSignal(false);
  const [persisted, setPersisted] = createSignal(false);
  const [raw, setRaw] = createSignal<'connecting' | 'connected' | 'disconnected'>('connecting');
  // After a failed attempt, y-websocket keeps retrying ("connecting") with backoff; report that as
  // offline until a connection actually succeeds, instead of flickering between the two.
  const [failed, setFailed] = createSignal(false);
  const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
  const [closed, setClosed] = createSignal<{ code: number; reason: string } | null>(null);
  let disposed = false;

  // The server closed the socket on purpose and the provider reconnects at once: a role change
  // (4001) or a replica shutting down (1012). That is "reconnecting", not "offline" (and no "You are
  // offline … Back online" for screen readers when the user never lost the network).
  let reconnectAsked = false;
  provider.on('status', ({ status }) => {
    setRaw(status);
    if (status === 'connected') setFailed(false);
    if (status === 'disconnected') setFailed(!reconnectAsked);
    reconnectAsked = false;
  });
  provider.on('sync', (isSynced: boolean) => setSynced(isSynced));
  provider.on('connection-error', () => setFailed(true));
  provider.on('closed', (event) => setClosed(event));
  provider.on('connection-close', (event) => {
    // Emitted just before the provider's 'disconnected' status (y-websocket closeWebsocketConnection).
    reconnectAsked = event?.code === CloseCode.roleChanged || event?.code === CloseCode.goingAway;
    if (event?.code === CloseCode.roleChanged) opts.onRoleChanged?.();
  });

  const onOnline = () => setOnline(true);
  const onOffline = () => setOnline(false);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  // While the device copy loads, nobody listens for 'update': Yjs then skips encoding the loaded
  // state (hundreds of ms for a board of thousands of cards), which the provider (not connected
  // yet) and y-indexeddb (its own origin) would both ignore anyway. Both listen again before any
  // other update can happen: nothing is shown or connected until `start`.
  doc.off('update', provider._updateHandler);
  let persistence: IndexeddbPersistence | null = null;
  const start = () => {
    if (disposed) return;
    if (persistence) doc.on('update', persistence._storeUpdate);
    doc.on('update', provider._updateHandler);
    setLoaded(true);
    // Connect after the loaded board is painted: connecting encodes the whole document for other
    // tabs (BroadcastChannel), which would otherwise delay the first frame. rAF does not run in a
    // hidden tab, hence the timeout.
    let connected = false;
    const connect = () => {
      if (connected || disposed) return;
      connected = true;
      provider.connect();
    };
    requestAnimationFrame(() => setTimeout(connect, 0));
    setTimeout(connect, 100);
  };

  const usePersistence = opts.persist ?? typeof indexedDB !== 'undefined';
  if (usePersistence) {
    try {
      persistence = new IndexeddbPersistence(opts.storeName, doc);
      doc.off('update', persistence._storeUpdate);
      // If the database cannot be opened, whenSynced never settles: fall back to memory only.
      persistence._db.catch(() => start());
      persistence.whenSynced.then(() => {
        setPersisted(true);
        start();
      });
    } catch {
      start();
    }
  } else {
    start();
  }

  onCleanup(() => {
    disposed = true;
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    provider.destroy();
    void persistence?.destroy();
    doc.destroy();
  });

  const status = (): SyncStatus => {
    if (closed()) return 'closed';
    if (!online()) return 'offline';
    if (raw() === 'connected') return 'connected';
    return failed() ? 'offline' : 'connecting';
  };

  return { doc, provider, loaded, synced, status, closed, persisted };
}
