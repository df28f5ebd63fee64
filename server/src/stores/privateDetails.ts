/** What both card stores write for putPrivate (a partial change of a card's private details). */
import type { PrivateDetails } from './types.ts';

export type PrivateDetailsChange = Partial<Omit<PrivateDetails, 'updatedAt' | 'updatedBy'>>;

/** The upsert's row: on insert, fields not given are empty; on update, only given fields change. */
export function privateDetailsUpsert(boardId: string, cardId: string, details: PrivateDetailsChange, by: string, now: number) {
  const given = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) as PrivateDetailsChange;
  const set = { ...given, updatedBy: by, updatedAt: now };
  return { insert: { boardId, cardId, recipientName: '', phone: '', accessNotes: '', ...set }, set };
}
