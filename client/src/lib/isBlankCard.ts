/**
 * Whether nobody has written anything on a card: every field still as "New card" made it (blank
 * text counts as nothing) and no comment. BoardView takes such a card back when the member who
 * just made it leaves it, so a stray "New card" leaves no "Untitled card" on everyone's board.
 */
import { emptyCard, type CardData } from '@delivery-board/schema/boardDoc';

export function isBlankCard(card: CardData, commentCount: number): boolean {
  const empty = emptyCard(card.id, card.createdBy, card.createdAt);
  return (
    commentCount === 0 &&
    card.title.trim() === '' &&
    card.notes.trim() === '' &&
    card.pickup === null &&
    card.dropoff === null &&
    card.windowStart === null &&
    card.windowEnd === null &&
    card.items.length === 0 &&
    card.tags.length === 0 &&
    card.priority === empty.priority
  );
}
