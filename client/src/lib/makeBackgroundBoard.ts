/**
 * A board document opened without a view, so the intent queue can replay intents for a board
 * nobody has open (at app start, or on `online` from another page): the device copy loads, syncs
 * (sending cards made offline), and then the queued claims go out. Non-reactive: returns its own
 * dispose.
 */
import { createRoot } from 'solid-js';
import { cardMap, readCard } from '@delivery-board/schema/boardDoc';
import { createBoardDoc } from './createBoardDoc.ts';
import type { BoardHandle } from './createIntentQueue.ts';

export function makeBackgroundBoard(boardId: string): { handle: BoardHandle; dispose(): void } {
  return createRoot((dispose) => {
    const board = createBoardDoc(boardId);
    const handle: BoardHandle = {
      synced: board.synced,
      cardTitle: (cardId) => {
        const card = cardMap(board.doc, cardId);
        return card ? readCard(cardId, card).title : null;
      },
    };
    return { handle, dispose };
  });
}
