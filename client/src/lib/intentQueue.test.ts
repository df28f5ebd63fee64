import { describe, expect, it } from 'vitest';
import { openBooking, type Booking } from '@delivery-board/schema/bookings';
import {
  boardsWithIntents,
  INTENT_ID_PATTERN,
  isDecided,
  judgeReply,
  makeIntentId,
  MAX_NOT_FOUND_ATTEMPTS,
  pendingFor,
  replayIntents,
  replayOrder,
  retryDelay,
  type QueuedIntent,
  type Reply,
} from './intentQueue.ts';

let n = 0;
const intent = (over: Partial<QueuedIntent>): QueuedIntent => ({
  boardId: 'b1',
  cardId: 'c1',
  action: 'claim',
  intentId: `intent${String(++n).padStart(4, '0')}`,
  userId: 'lena',
  cardTitle: 'Rice',
  createdAt: 1000,
  seq: n,
  ...over,
});
const claimed: Booking = { ...openBooking('c1'), status: 'claimed', driverId: 'sam', driverName: 'Sam', at: 5, version: 1 };

describe('intent ids', () => {
  it('are a UUID without dashes and match the server’s rule', () => {
    expect(makeIntentId(() => '123e4567-e89b-12d3-a456-426614174000')).toBe('123e4567e89b12d3a456426614174000');
    expect(makeIntentId()).toMatch(INTENT_ID_PATTERN);
    expect(makeIntentId()).not.toBe(makeIntentId());
  });
});

describe('replay order', () => {
  const a = intent({ createdAt: 3000, cardId: 'c3' });
  const b = intent({ createdAt: 1000, cardId: 'c1' });
  const c = intent({ createdAt: 1000, cardId: 'c2' }); // same millisecond as b, queued after it
  const other = intent({ createdAt: 500, userId: 'sam' });
  const elsewhere = intent({ createdAt: 2000, boardId: 'b2' });
  const queue = [a, other, c, elsewhere, b];

  it('is creation order, for one user, optionally one board', () => {
    expect(replayOrder(queue, 'lena').map((i) => i.intentId)).toEqual([b, c, elsewhere, a].map((i) => i.intentId));
    expect(replayOrder(queue, 'lena', 'b1').map((i) => i.intentId)).toEqual([b, c, a].map((i) => i.intentId));
    expect(replayOrder(queue, 'nobody')).toEqual([]);
  });
  it('lists boards by their oldest intent and finds a card’s pending intent', () => {
    expect(boardsWithIntents(queue, 'lena')).toEqual(['b1', 'b2']);
    expect(pendingFor(queue, 'lena', 'b1', 'c2')).toBe(c);
    expect(pendingFor(queue, 'sam', 'b1', 'c2')).toBeUndefined();
    expect(pendingFor(queue, null, 'b1', 'c1')).toBeUndefined();
  });
  it('does not reorder the caller’s array', () => {
    const copy = [...queue];
    replayOrder(queue, 'lena');
    expect(queue).toEqual(copy);
  });
});

describe('judging replies', () => {
  const ctx = { cardExistsLocally: true, attempts: 1 };
  it('won on 200 (also a replayed 200), lost on 409 with the current booking', () => {
    expect(judgeReply({ kind: 'ok', booking: claimed }, ctx)).toEqual({ kind: 'won', booking: claimed });
    expect(judgeReply({ kind: 'http', status: 409, code: 'conflict', message: 'x', booking: claimed }, ctx)).toEqual({ kind: 'lost', booking: claimed });
  });
  it('a 409 for a card with no title yet is a refusal in the server’s words, not a lost race', () => {
    const reply: Reply = { kind: 'http', status: 409, code: 'card_untitled', message: 'This card has no title yet.', booking: openBooking('c') };
    expect(judgeReply(reply, ctx)).toEqual({ kind: 'refused', message: 'This card has no title yet.' });
  });
  it('keeps intents the server has not decided', () => {
    expect(judgeReply({ kind: 'network' }, ctx).kind).toBe('retry');
    expect(judgeReply({ kind: 'http', status: 503, code: 'x', message: 'x' }, ctx).kind).toBe('retry');
    expect(judgeReply({ kind: 'http', status: 429, code: 'x', message: 'x' }, ctx).kind).toBe('retry');
    expect(judgeReply({ kind: 'http', status: 401, code: 'x', message: 'x' }, ctx).kind).toBe('signedOut');
  });
  it('retries a 404 for a card still syncing, a few times, and drops it for a deleted card', () => {
    const notFound: Reply = { kind: 'http', status: 404, code: 'not_found', message: 'Card not found' };
    expect(judgeReply(notFound, ctx).kind).toBe('retry');
    expect(judgeReply(notFound, { ...ctx, attempts: MAX_NOT_FOUND_ATTEMPTS }).kind).toBe('refused');
    expect(judgeReply(notFound, { ...ctx, cardExistsLocally: false })).toEqual({ kind: 'refused', message: 'This card is no longer on the board.' });
  });
  it('drops what the server will never accept, with its message', () => {
    expect(judgeReply({ kind: 'http', status: 403, code: 'forbidden', message: 'Only drivers' }, ctx)).toEqual({ kind: 'refused', message: 'Only drivers' });
  });
  it('queues only what the server has not decided', () => {
    const judge = (r: Reply) => isDecided(judgeReply(r, ctx));
    expect(judge({ kind: 'network' })).toBe(false);
    expect(judge({ kind: 'http', status: 500, code: 'x', message: 'x' })).toBe(false);
    expect(judge({ kind: 'http', status: 409, code: 'conflict', message: 'x', booking: claimed })).toBe(true);
    expect(judge({ kind: 'http', status: 403, code: 'forbidden', message: 'x' })).toBe(true);
  });
  it('backs off', () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelay)).toEqual([2000, 5000, 15000, 30000, 60000, 60000]);
  });
});

describe('replayIntents', () => {
  const run = async (replies: Reply[], queue: QueuedIntent[]) => {
    const sent: string[] = [];
    const settled: string[] = [];
    const result = await replayIntents(queue, {
      send: async (i) => {
        sent.push(i.intentId);
        return replies.shift() ?? { kind: 'network' };
      },
      cardExists: () => true,
      attempts: () => 0,
      settled: (i, v) => void settled.push(`${i.intentId}:${v.kind}`),
    });
    return { sent, settled, result };
  };

  it('sends in order and settles each decided intent', async () => {
    const q = [intent({}), intent({})];
    const { sent, settled, result } = await run([{ kind: 'ok', booking: claimed }, { kind: 'http', status: 409, code: 'conflict', message: 'x', booking: claimed }], q);
    expect(sent).toEqual(q.map((i) => i.intentId));
    expect(settled).toEqual([`${q[0].intentId}:won`, `${q[1].intentId}:lost`]);
    expect(result).toEqual({ stoppedAt: null, settled: 2 });
  });

  it('stops at the first intent it cannot decide, so later ones do not overtake it', async () => {
    const q = [intent({}), intent({}), intent({})];
    const { sent, settled, result } = await run([{ kind: 'ok', booking: claimed }, { kind: 'network' }], q);
    expect(sent).toEqual([q[0].intentId, q[1].intentId]);
    expect(settled).toEqual([`${q[0].intentId}:won`]);
    expect(result.stoppedAt?.intent).toBe(q[1]);
    expect(result.stoppedAt?.verdict.kind).toBe('retry');
  });

  it('is safe to run twice: the server repeats the original answer for a replayed intent', async () => {
    const q = [intent({})];
    const answers = new Map<string, Reply>();
    const server = async (i: QueuedIntent): Promise<Reply> => {
      const seen = answers.get(i.intentId);
      if (seen) return seen;
      const reply: Reply = { kind: 'http', status: 409, code: 'conflict', message: 'x', booking: claimed };
      answers.set(i.intentId, reply);
      return reply;
    };
    const outcomes: string[] = [];
    const hooks = { send: server, cardExists: () => true, attempts: () => 0, settled: (_: QueuedIntent, v: { kind: string }) => void outcomes.push(v.kind) };
    await replayIntents(q, hooks);
    await replayIntents(q, hooks);
    expect(outcomes).toEqual(['lost', 'lost']);
  });
});
