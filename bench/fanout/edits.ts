/**
 * What one benchmark edit is. Each client owns one card (created during setup) and every edit
 * appends one line to that card's `notes` Y.Text through the schema's setCardField, so it is a real
 * board-document edit. The line carries the phase (w = warm-up, m = measured), the sender's id, a
 * per-sender sequence number and the send timestamp. Appended lines stay in the document, so an edit
 * is recognised even if updates reach a client merged (e.g. after a reconnect).
 */
import * as Y from 'yjs';
import { boardRoots, createCard, setCardField } from '@delivery-board/schema/boardDoc';

export interface Edit {
  phase: 'w' | 'm';
  sender: number;
  seq: number;
  sentAt: number;
}

export const cardIdOf = (gid: number) => `benchcard${gid}`;

export function formatEdit(e: Edit): string {
  return `${e.phase}${e.sender}.${e.seq}@${e.sentAt.toFixed(3)}\n`;
}

const LINE = /^([wm])(\d+)\.(\d+)@(\d+(?:\.\d+)?)$/;

/** Parses every complete edit line in an inserted chunk of text; returns null for a malformed line. */
export function parseEdits(chunk: string): (Edit | null)[] {
  const out: (Edit | null)[] = [];
  for (const line of chunk.split('\n')) {
    if (line === '') continue;
    const m = LINE.exec(line);
    out.push(m ? { phase: m[1] as 'w' | 'm', sender: Number(m[2]), seq: Number(m[3]), sentAt: Number(m[4]) } : null);
  }
  return out;
}

/** The card this client writes to, created by the member it signs in as (`bench-<gid>` without auth). */
export function createOwnCard(doc: Y.Doc, gid: number, userId: string | null): void {
  createCard(doc, { title: `bench client ${gid}` }, userId ?? `bench-${gid}`, Date.now(), cardIdOf(gid));
}

/** Appends one edit line to the client's own card; `notes` is the client's copy of that text. */
export function applyEdit(doc: Y.Doc, gid: number, notes: string, e: Edit): string {
  const next = notes + formatEdit(e);
  setCardField(doc, cardIdOf(gid), 'notes', next);
  return next;
}

/**
 * Calls `onInsert(text)` for every chunk of text other clients insert into any card's notes.
 * Local transactions (this client's own edits) are skipped.
 */
export function observeRemoteInserts(doc: Y.Doc, onInsert: (text: string) => void): void {
  boardRoots(doc).cards.observeDeep((events, txn) => {
    if (txn.local) return;
    for (const ev of events) {
      if (!(ev.target instanceof Y.Text)) continue;
      for (const d of ev.delta) if (typeof d.insert === 'string') onInsert(d.insert);
    }
  });
}

export const cardCount = (doc: Y.Doc) => boardRoots(doc).cards.size;
