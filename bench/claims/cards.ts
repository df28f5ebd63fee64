/**
 * Creates the cards (not measured) the way the app does: a stock y-websocket v3 client with the
 * coordinator's session cookie (BroadcastChannel off, `ws` as the WebSocket) writes them into the
 * board document with `createCard`. Done once the server has recorded a `card.created` audit row
 * for every one of them (the row is written after the server applied the update to its document).
 */
import type { Agent } from 'node:http';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createCard } from '@delivery-board/schema/boardDoc';
import { readAudit } from './audit.ts';
import type { Account } from './setup.ts';

function cookieWebSocket(cookie: string) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie }, perMessageDeflate: false });
    }
  };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates `batches.length` batches of cards (one Yjs transaction each); returns the ids per batch. */
export async function createCards(agent: Agent, baseUrl: string, coordinator: Account, boardId: string, batches: number, perBatch: number, timeoutMs = 60_000): Promise<string[][]> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', boardId, doc, {
    WebSocketPolyfill: cookieWebSocket(coordinator.cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await until(() => provider.synced, 15_000, 'the coordinator client to sync');
    const ids: string[][] = [];
    for (let b = 0; b < batches; b++) {
      const batch: string[] = [];
      doc.transact(() => {
        for (let i = 0; i < perBatch; i++) {
          batch.push(createCard(doc, { title: `Bench card r${b} #${i + 1}`, items: ['1 box'] }, coordinator.id));
        }
      });
      ids.push(batch);
    }
    const wanted = new Set(ids.flat());
    await until(
      async () => {
        const rows = await readAudit(agent, baseUrl, coordinator.cookie, boardId);
        const seen = rows.filter((r) => r.action === 'card.created' && r.cardId && wanted.has(r.cardId)).length;
        return seen === wanted.size;
      },
      timeoutMs,
      `the server to record ${wanted.size} cards`,
    );
    return ids;
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
