/**
 * Bookings: the server's decisions about who holds which card. Owns the order
 * "decide in the database (one transaction, with an audit row) → then write the bookings document",
 * and the board-document watchers: card created/deleted audit rows, and cancelling a booked card
 * that someone deleted.
 */
import * as Y from 'yjs';
import type { Logger } from 'pino';
import { boardRoots, cardMap, readCard, type CardData } from '@delivery-board/schema/boardDoc';
import type { Actor, Booking, BookingAction } from '@delivery-board/schema/bookings';
import type { BoardStore, BookingStore, TransitionOutcome, UserStore } from '../stores/types.ts';
import type { SyncServer } from '../sync/syncServer.ts';
import type { Room } from '../sync/room.ts';
import { docNameOf, parseDocName, type TransactionOrigin } from '../sync/types.ts';
import type { Connection } from '../sync/syncServer.ts';

export interface TransitionInput {
  boardId: string;
  cardId: string;
  action: BookingAction;
  intentId: string;
  actor: Actor;
  note: string | null;
  driverId?: string;
}

export type TransitionResult = TransitionOutcome | { httpStatus: 404; body: { error: { code: string; message: string } }; replayed: false };

export interface BookingServiceDeps {
  bookings: BookingStore;
  boards: BoardStore;
  users: UserStore;
  logger: Logger;
  now: () => number;
}

export function bookingsMap(doc: Y.Doc) {
  return doc.getMap<Booking>('bookings');
}

export class BookingService {
  private sync: SyncServer | null = null;

  constructor(private readonly deps: BookingServiceDeps) {}

  /** Late binding: the sync server takes this service's hooks at construction. */
  attach(sync: SyncServer) {
    this.sync = sync;
  }

  /** A card as it is in the board document now, or null if it does not exist. */
  card(boardId: string, cardId: string): Promise<CardData | null> {
    return this.sync!.readDoc(boardId, (doc) => {
      const c = cardMap(doc, cardId);
      return c ? readCard(cardId, c) : null;
    });
  }

  async transition(input: TransitionInput): Promise<TransitionResult> {
    const card = await this.card(input.boardId, input.cardId);
    if (!card) {
      // A replayed intent keeps its original answer even if the card has gone since.
      const original = await this.deps.bookings.findIntent(input.actor.userId, input.intentId, input);
      if (original) return original;
      return { httpStatus: 404, body: { error: { code: 'not_found', message: 'Card not found on this board' } }, replayed: false };
    }
    let assignee: { id: string; name: string } | undefined;
    if (input.action === 'assign' && input.driverId) {
      const role = await this.deps.boards.getRole(input.boardId, input.driverId);
      const user = role === 'driver' ? await this.deps.users.getById(input.driverId) : null;
      if (user) assignee = { id: user.id, name: user.name };
    }
    const outcome = await this.deps.bookings.transition({
      boardId: input.boardId,
      cardId: input.cardId,
      action: input.action,
      intentId: input.intentId,
      actor: input.actor,
      note: input.note,
      // Only a requester's cancel asks who wrote the card (they may cancel their own): one read
      // fewer for every other transition, claims above all.
      cardCreatedBy: input.action === 'cancel' && input.actor.role === 'requester' ? await this.deps.bookings.cardAuthor(input.boardId, input.cardId) : null,
      cardTitled: card.title.trim() !== '',
      assignee,
      now: this.deps.now(),
    });
    if (outcome.changed) await this.publish(input.boardId, [outcome.changed]);
    else if (outcome.replayed && 'booking' in outcome.body && outcome.body.booking) {
      // A retried request (e.g. after its first replica died between commit and document write)
      // repairs the document at once; an older version never overwrites a newer one.
      await this.publish(input.boardId, [outcome.body.booking]);
    }
    return outcome;
  }

  /** Writes committed bookings into the bookings document; never moves a card back in version. */
  private async publish(boardId: string, changed: Booking[]) {
    await this.sync!.withDoc(docNameOf(boardId, 'bookings'), (doc) => writeBookings(doc, changed));
  }

  /** SyncServer hook: reconcile the bookings document with the database; watch board documents. */
  readonly onLoad = async (room: Room) => {
    const { boardId, kind } = parseDocName(room.name);
    if (kind === 'bookings') {
      const rows = await this.deps.bookings.list(boardId);
      // The database is the truth: a crash between commit and document write is repaired here.
      room.doc.transact(() => writeBookings(room.doc, rows), { type: 'server' } satisfies TransactionOrigin);
      return;
    }
    this.watchBoard(room);
  };

  private watchBoard(room: Room) {
    const { name: boardId, doc } = room;
    boardRoots(doc).cards.observe((event, tr) => {
      const origin = tr.origin as TransactionOrigin | null;
      if (origin?.type !== 'connection') return;
      const who = (origin.conn as Connection).info;
      const at = this.deps.now();
      const created: string[] = [];
      const deleted: string[] = [];
      for (const [cardId, change] of event.changes.keys) {
        if (change.action === 'add') created.push(cardId);
        else if (change.action === 'delete') deleted.push(cardId);
      }
      if (created.length === 0 && deleted.length === 0) return;
      // After the update has been applied in full: one that failed partway (Room.applyClientUpdate)
      // breaks the room and is neither stored nor audited.
      queueMicrotask(() => {
        if (room.isBroken) return;
        void this.onCardsChanged(boardId, doc, { userId: who.userId, name: who.userName }, created, deleted, at).catch((err) =>
          this.deps.logger.error({ err, boardId }, 'recording card changes failed'),
        );
      });
    });
  }

  private async onCardsChanged(boardId: string, doc: Y.Doc, who: { userId: string; name: string }, created: string[], deleted: string[], at: number) {
    await this.deps.bookings.audit([
      ...created.map((cardId) => {
        const card = cardMap(doc, cardId);
        return { boardId, cardId, actorId: who.userId, actorName: who.name, action: 'card.created', data: { title: card ? readCard(cardId, card).title : '' }, at };
      }),
      ...deleted.map((cardId) => ({ boardId, cardId, actorId: who.userId, actorName: who.name, action: 'card.deleted', at })),
    ]);
    for (const cardId of deleted) {
      const booking = await this.deps.bookings.get(boardId, cardId);
      if (booking.status !== 'claimed' && booking.status !== 'picked_up') continue;
      // Cancelled by the server on behalf of whoever deleted it; the intent id makes it happen once.
      const outcome = await this.deps.bookings.transition({
        boardId,
        cardId,
        action: 'cancel',
        intentId: `card-deleted:${cardId}:${booking.version}`,
        actor: { userId: who.userId, name: who.name, role: 'coordinator' },
        note: 'Card deleted from the board',
        cardCreatedBy: null,
        now: at,
      });
      if (outcome.changed) await this.publish(boardId, [outcome.changed]);
    }
  }
}

function writeBookings(doc: Y.Doc, rows: Booking[]) {
  const map = bookingsMap(doc);
  for (const b of rows) {
    const cur = map.get(b.cardId);
    if (!cur || cur.version < b.version) map.set(b.cardId, b);
  }
}
