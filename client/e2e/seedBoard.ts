/**
 * Fills a board with cards from Node, through the stock y-websocket client with the user's session
 * cookie (as server/test/helpers.ts does), and waits until the server confirms it has stored them
 * (the durable-state notice, docs/api.md). Used by browser tests and bench/client.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import { createCard, type CardData } from '../../schema/boardDoc.ts';

type CardInit = Partial<Omit<CardData, 'id' | 'createdBy' | 'createdAt'>>;

const pad = (n: number) => String(n).padStart(2, '0');
/** `d` as a card's time-window value: local date and time to the minute (`2026-11-21T14:00`). */
export function localDateTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function cookieSocket(cookie: string) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  };
}

/**
 * Adds `cards` to the board (in batches of 500 per transaction) and resolves once the server has
 * durably stored all of them. Returns the new card ids, in order.
 */
export async function seedCards(base: string, cookie: string, boardId: string, createdBy: string, cards: CardInit[], timeoutMs = 60_000): Promise<string[]> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(base.replace(/^http/, 'ws') + '/sync', boardId, doc, {
    WebSocketPolyfill: cookieSocket(cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  let durable = new Map<number, number>();
  let noticed: (() => void) | null = null;
  provider.messageHandlers[100] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) !== 1) return;
    durable = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    noticed?.();
  };
  provider.on('status', ({ status }) => {
    if (status !== 'connected') return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 100);
    encoding.writeVarUint(e, 0);
    provider.ws?.send(encoding.toUint8Array(e));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('seed: no sync')), timeoutMs);
      provider.once('sync', () => (clearTimeout(timer), resolve()));
    });
    const ids: string[] = [];
    const now = Date.now();
    for (let i = 0; i < cards.length; i += 500) {
      doc.transact(() => {
        cards.slice(i, i + 500).forEach((c, j) => ids.push(createCard(doc, c, createdBy, now - (i + j))));
      });
    }
    const want = Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0;
    const deadline = Date.now() + timeoutMs;
    while ((durable.get(doc.clientID) ?? 0) < want) {
      if (Date.now() > deadline) throw new Error('seed: the server did not confirm the cards');
      await new Promise<void>((resolve) => {
        noticed = resolve;
        setTimeout(resolve, 200);
      });
    }
    return ids;
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
