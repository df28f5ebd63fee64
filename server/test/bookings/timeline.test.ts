/** A card's timeline: every member (viewer included) reads it, newest first; non-members cannot. */
import { describe, expect, it } from 'vitest';
import { registerUser } from '../helpers.ts';
import { api, boardWith, bootForTest, createCards, must } from './harness.ts';

describe('card timeline', () => {
  it('members read it newest first; non-members 403, anonymous 401, unknown board 404', async () => {
    const { url } = await bootForTest();
    const { coordinator, boardId, users } = await boardWith(url, {
      R: { name: 'Rae Requester', role: 'requester' },
      D: { name: 'Dana Driver', role: 'driver' },
      V: { name: 'Val Viewer', role: 'viewer' },
    });
    const { R, D, V } = users;
    const [cardId, other] = (await createCards(url, boardId, R, ['Apples', 'Pears'])) as [string, string];
    await must(url, D, boardId, cardId, 'claim', { note: 'after lunch' });
    await must(url, D, boardId, cardId, 'pickup');
    await must(url, D, boardId, other, 'claim');
    const path = `/api/boards/${boardId}/cards/${cardId}/timeline`;

    const seen = [];
    for (const u of [coordinator, R, D, V]) {
      const res = await api(url, u, 'GET', path);
      expect(res.status, u.name).toBe(200);
      seen.push(res.body);
    }
    for (const body of seen) expect(body).toEqual(seen[0]);

    const timeline = seen[0].timeline as { id: number; action: string; fromStatus: string | null; toStatus: string | null; actorName: string; note: string | null; at: number }[];
    expect(timeline.map((t) => [t.action, t.fromStatus, t.toStatus, t.actorName, t.note])).toEqual([
      ['booking.pickup', 'claimed', 'picked_up', D.name, null],
      ['booking.claim', 'open', 'claimed', D.name, 'after lunch'],
      ['card.created', null, null, R.name, null],
    ]);
    for (let i = 1; i < timeline.length; i++) expect(timeline[i]!.id).toBeLessThan(timeline[i - 1]!.id);
    for (const t of timeline) expect(Object.keys(t).sort()).toEqual(['action', 'actorName', 'at', 'driverName', 'fromStatus', 'id', 'note', 'toStatus']);

    const stranger = await registerUser(url, 'Stan Stranger');
    expect((await api(url, stranger, 'GET', path)).status).toBe(403);
    expect((await api(url, null, 'GET', path)).status).toBe(401);
    expect((await api(url, D, 'GET', `/api/boards/nosuchboard/cards/${cardId}/timeline`)).status).toBe(404);
  });
});
