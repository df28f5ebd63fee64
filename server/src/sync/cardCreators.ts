/**
 * Who a card says created it. A card's `createdBy` (schema/boardDoc.ts createCard) is who readers
 * show as its requester, and what decides who besides coordinators may delete it (cardRemovals.ts,
 * which also refuses to let a driver or requester rewrite it on a card the server holds). The
 * creating client writes it, so without this a member could post a request "by" another member,
 * giving them a card they never asked for (and the right to delete it).
 *
 * When a member's update adds a card whose `createdBy` is anyone else (or missing), the server sets
 * it to that member at once, in a transaction of its own with origin `server`: stored in the same
 * flush as the card, relayed, and sent to every client, the sender's included, so every copy
 * converges on it. That is after the card is applied, not by rewriting the update before it is
 * (as commentAuthors.ts does): a card can arrive encoded many ways (its fields with it, a field set
 * twice in one batch, or held back until a missing struct arrives), and here it is read as it
 * integrated. The claimed value is stored and sent just before the correction, in the same flush.
 * Coordinators are held to it too: our clients only ever create cards as the member signed in.
 */
import * as Y from 'yjs';
import { boardRoots, cardMap } from '@delivery-board/schema/boardDoc';
import type { ConnectionInfo, TransactionOrigin } from './types.ts';

const SERVER_ORIGIN: TransactionOrigin = { type: 'server' };

/** Watches a board document (call before anything is applied); `onForged` hears of each correction. */
export function watchCardCreators(doc: Y.Doc, onForged: (info: ConnectionInfo, claimed: unknown) => void): void {
  boardRoots(doc).cards.observe((event, tr) => {
    const origin = tr.origin as TransactionOrigin | null;
    if (origin?.type !== 'connection') return;
    const info = (origin.conn as { info: ConnectionInfo }).info;
    const wrong: Array<{ card: Y.Map<unknown>; claimed: unknown }> = [];
    for (const [cardId, change] of event.changes.keys) {
      if (change.action === 'delete') continue;
      const card = cardMap(doc, cardId);
      // New in this transaction (an existing card's key set anew is cardRemovals' business).
      const id = card?._item?.id;
      if (!card || !id || id.clock < (tr.beforeState.get(id.client) ?? 0)) continue;
      const claimed = card.get('createdBy');
      if (claimed !== info.userId) wrong.push({ card, claimed });
    }
    if (wrong.length === 0) return;
    // Observers run after the member's transaction closed: this is the next one.
    doc.transact(() => {
      for (const { card } of wrong) card.set('createdBy', info.userId);
    }, SERVER_ORIGIN);
    for (const { claimed } of wrong) onForged(info, claimed);
  });
}
