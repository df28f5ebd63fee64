/**
 * Turns others' changes on an open board into notices (rules: notifications.ts): booking changes
 * from the bookings document, and edits of cards this user holds from the board document (remote
 * transactions only, and not those of the user's other devices; a burst of typing is gathered into
 * one notice per card). Each notice is
 * shown as an in-app toast and, when the page is hidden and the user allowed it, as a browser
 * notification (showNotifications.ts).
 *
 * "Old news" is skipped: bookings decided before this device last looked at the board (kept in
 * localStorage per board) or, on a device that never opened it, before now; and whatever the
 * bookings document replays from its device copy while loading (this device has seen it already,
 * or the page closed before the 'seen' mark was written and it would be told twice).
 */
import { onCleanup } from 'solid-js';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { boardRoots, cardMap, readCard, type CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { holds } from './bookingFormat.ts';
import type { BookingChange } from './createBookingsDoc.ts';
import { bookingNotices, cardChangeNotice, type Notice, type NoticeContext } from './notifications.ts';

export const SEEN_PREFIX = 'delivery-board:seen:';
/** Edits of one card within this time make one notice. */
const GATHER_MS = 4000;

export interface NotifierOptions {
  boardId: string;
  doc: Y.Doc;
  meId: string | null;
  bookingFor(cardId: string): Booking;
  subscribeBookings(listener: (changes: BookingChange[]) => void): () => void;
  /** True once the bookings document's device copy has loaded: changes before that are not news. */
  bookingsLoaded(): boolean;
  actedByMe(cardId: string): boolean;
  show(notice: Notice): void;
  storage?: Storage | null;
  /** The board connection's presence: tells which Yjs clients are this user's other devices. */
  awareness?: Awareness;
}

/** Starts listening; stops with the owner. */
export function createNotifier(opts: NotifierOptions): void {
  const storage = opts.storage === undefined ? (globalThis.localStorage ?? null) : opts.storage;
  const seenKey = SEEN_PREFIX + opts.boardId;
  const stored = (() => {
    try {
      return Number(storage?.getItem(seenKey) ?? '') || 0;
    } catch {
      return 0;
    }
  })();
  const since = stored > 0 ? stored : Date.now();
  const markSeen = () => {
    try {
      storage?.setItem(seenKey, String(Date.now()));
    } catch {
      // storage disabled: every session starts from "now"
    }
  };
  const cards = boardRoots(opts.doc).cards;
  const cardNow = (id: string): CardData | null => {
    const m = cardMap(opts.doc, id);
    return m ? readCard(id, m) : null;
  };

  // Cards this user holds: the version last seen, to say what others changed, and kept when the card
  // is deleted, to name it in the notice of the cancel that follows.
  const snapshot = new Map<string, CardData | null>();
  const gathering = new Map<string, { before: CardData; timer: ReturnType<typeof setTimeout> }>();

  // Bookings.
  const noticeContext: NoticeContext = {
    meId: opts.meId,
    cardFor: (id) => cardNow(id) ?? undefined,
    removedCard: (id) => (cardNow(id) ? undefined : (snapshot.get(id) ?? undefined)),
    actedByMe: opts.actedByMe,
    since,
  };
  const stopBookings = opts.subscribeBookings((changes) => {
    // Until the device copy has loaded, no socket is open: every change is that copy replaying.
    const notices = opts.bookingsLoaded() ? bookingNotices(changes, noticeContext) : [];
    for (const n of notices) opts.show(n);
    for (const c of changes) {
      const card = cardNow(c.cardId);
      if (c.after && opts.meId && holds(c.after, opts.meId)) snapshot.set(c.cardId, card);
      else if (!card) snapshot.delete(c.cardId); // a deleted card's last version has been used
    }
  });

  // Yjs client ids of this user's other devices and tabs: what they write is this user's own doing.
  // Presence states carry the user, stamped by the server (presenceIdentity.ts), and an id is kept
  // after its state goes, since that device's edits may still be on their way (or were made offline).
  const myClients = new Set<number>();
  const awareness = opts.awareness;
  const noteMyClients = () => {
    for (const [id, state] of awareness?.getStates() ?? []) if (opts.meId && state?.user?.id === opts.meId) myClients.add(id);
  };
  awareness?.on('change', noteMyClients);
  noteMyClients();
  /** The transaction inserted content, all of it from this user's other devices (a bare deletion names no author). */
  const fromMyOtherDevice = (tr: Y.Transaction) => {
    let writers = 0;
    for (const [client, clock] of tr.afterState) {
      if (clock === (tr.beforeState.get(client) ?? 0)) continue;
      if (!myClients.has(client)) return false;
      writers++;
    }
    return writers > 0;
  };

  const flush = (id: string) => {
    const g = gathering.get(id);
    if (!g) return;
    gathering.delete(id);
    const notice = cardChangeNotice(g.before, cardNow(id), opts.bookingFor(id), opts.meId);
    if (notice) opts.show(notice);
  };
  const onCards = (events: Y.YEvent<any>[], tr: Y.Transaction) => {
    const touched = new Set<string>();
    for (const e of events) {
      if (e.target === cards) for (const k of e.changes.keys.keys()) touched.add(k);
      else if (typeof e.path[0] === 'string') touched.add(e.path[0]);
    }
    // Only edits that came over the network; ours (and the device copy loading) are not news.
    const remote = !tr.local && tr.origin !== null && typeof tr.origin === 'object' && 'ws' in (tr.origin as object) && !fromMyOtherDevice(tr);
    for (const id of touched) {
      const held = !!opts.meId && holds(opts.bookingFor(id), opts.meId);
      if (!held) {
        snapshot.delete(id);
        continue;
      }
      const before = snapshot.get(id);
      if (remote && before && !gathering.has(id)) gathering.set(id, { before, timer: setTimeout(() => flush(id), GATHER_MS) });
      const current = cardNow(id);
      if (current) snapshot.set(id, current);
    }
  };
  cards.observeDeep(onCards);
  // Cards already held when the board opens.
  cards.forEach((_m, id) => opts.meId && holds(opts.bookingFor(id), opts.meId) && snapshot.set(id, cardNow(id)));

  const seenTimer = setInterval(markSeen, 30_000);
  onCleanup(() => {
    stopBookings();
    cards.unobserveDeep(onCards);
    awareness?.off('change', noteMyClients);
    for (const id of [...gathering.keys()]) {
      clearTimeout(gathering.get(id)!.timer);
      flush(id);
    }
    clearInterval(seenTimer);
    markSeen();
  });
}
