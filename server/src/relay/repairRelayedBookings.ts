/**
 * Bookings documents with several replicas. Each replica writes a committed booking into its own
 * copy of `<boardId>/bookings` (BookingService, origin `server`), and the copies merge by CRDT. Two
 * replicas writing the same card's key without having seen each other's write (a claim on A, the
 * pickup on B before A's write reached B: relay lag, or a Redis outage) are concurrent Y.Map sets,
 * and Yjs picks the winner by client id, not by booking version: every copy could then show the
 * older booking for good.
 *
 * So when updates from another replica (origin `relay`) change cards in a bookings document, this
 * replica reads those cards' bookings from the database (the truth) and writes any that is newer
 * than what the document shows, as a new `server` write: it comes causally after both conflicting
 * sets, so it wins on every replica. Writing only when the document is behind ends the exchange:
 * the repair itself arrives elsewhere as a relay update showing the current version, so nothing
 * more is written. Several replicas repairing at once write the same booking; any of them winning
 * is right.
 *
 * A replica can also die between committing a booking and writing it into the document (or before
 * storing that write). With one replica the next load reconciles the document; with several, the
 * others keep it loaded, so each also reconciles its loaded bookings documents with the database
 * every `reconcileMs` (default 15 s; a client retrying its intent elsewhere gets its answer at once,
 * but the replay changes nothing, so nothing else would write the document).
 *
 * BookingService.onLoad would be the natural home for this; it lives here, composed into the
 * SyncServer's onLoad hook by the wiring, to keep the bookings module untouched by the relay work.
 */
import type { Logger } from 'pino';
import type { Booking } from '@delivery-board/schema/bookings';
import type { BookingStore } from '../stores/types.ts';
import type { Room } from '../sync/room.ts';
import type { TransactionOrigin } from '../sync/types.ts';

const SUFFIX = '/bookings';

/** SyncServer onLoad hook (compose it after BookingService.onLoad); ignores board documents. */
export function repairRelayedBookings(deps: { bookings: BookingStore; logger: Logger; reconcileMs?: number }) {
  const reconcileMs = deps.reconcileMs ?? 15_000;
  return (room: Room): void => {
    if (!room.name.endsWith(SUFFIX)) return;
    const boardId = room.name.slice(0, -SUFFIX.length);
    const map = room.doc.getMap<Booking>('bookings');
    const changed = new Set<string>();
    let scheduled = false;

    /** Writes the rows that are newer than the document (or missing from it, with `addMissing`). */
    const write = (rows: Booking[], addMissing: boolean) => {
      if (room.isDestroyed) return;
      const origin: TransactionOrigin = { type: 'server' };
      room.doc.transact(() => {
        for (const b of rows) {
          const cur = map.get(b.cardId);
          if (cur ? cur.version < b.version : addMissing) map.set(b.cardId, b);
        }
      }, origin);
    };

    const repair = async () => {
      scheduled = false;
      const cardIds = [...changed];
      changed.clear();
      try {
        // Only cards the document already shows: `get` answers `open` for a card without a row.
        write(await Promise.all(cardIds.map((cardId) => deps.bookings.get(boardId, cardId))), false);
      } catch (err) {
        deps.logger.error({ err, doc: room.name }, 'repairing relayed bookings failed');
      }
    };

    // Spread over the interval, so that many rooms loaded at once do not query at once.
    const timer = setTimeout(function tick() {
      deps.bookings.list(boardId).then(
        (rows) => write(rows, true),
        (err) => deps.logger.warn({ err, doc: room.name }, 'reconciling bookings failed'),
      );
      timer.refresh();
    }, Math.round(reconcileMs * (0.5 + Math.random())));
    timer.unref();
    room.doc.on('destroy', () => clearTimeout(timer));

    map.observe((event, tr) => {
      if ((tr.origin as TransactionOrigin | null)?.type !== 'relay') return;
      for (const key of event.keysChanged) changed.add(key);
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => void repair());
    });
  };
}
