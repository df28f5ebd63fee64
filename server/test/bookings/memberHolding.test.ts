/** The members list says how many deliveries each member holds, before and after a demotion. */
import { describe, expect, it } from 'vitest';
import { api, boardWith, bootForTest, createCards, must } from './harness.ts';

describe('GET /api/boards/:boardId/members: holding', () => {
  it('counts each member’s claimed and picked-up cards, and keeps counting them after a demotion', async () => {
    const { url } = await bootForTest();
    const { coordinator, boardId, users } = await boardWith(url, {
      D: { name: 'Dana Driver', role: 'driver' },
      E: { name: 'Eli Driver', role: 'driver' },
    });
    const { D, E } = users;
    const [a, b, c, d] = (await createCards(url, boardId, coordinator, ['Apples', 'Pears', 'Plums', 'Figs'])) as [string, string, string, string];
    await must(url, D, boardId, a, 'claim');
    await must(url, D, boardId, b, 'claim');
    await must(url, D, boardId, b, 'pickup');
    await must(url, D, boardId, c, 'claim');
    await must(url, D, boardId, c, 'pickup');
    await must(url, D, boardId, c, 'deliver');
    await must(url, E, boardId, d, 'claim');
    await must(url, E, boardId, d, 'release');

    const holding = async () => {
      const res = await api(url, coordinator, 'GET', `/api/boards/${boardId}/members`);
      expect(res.status).toBe(200);
      return Object.fromEntries((res.body.members as { name: string; holding: number }[]).map((m) => [m.name, m.holding]));
    };
    expect(await holding()).toEqual({ [coordinator.name]: 0, 'Dana Driver': 2, 'Eli Driver': 0 });
    expect((await api(url, coordinator, 'PATCH', `/api/boards/${boardId}/members/${D.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await holding())['Dana Driver']).toBe(2);
  });
});
