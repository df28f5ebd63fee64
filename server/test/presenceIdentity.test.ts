/** stampPresenceIdentity: every state's `user` is the sender's own, the rest is the client's. */
import { describe, expect, it } from 'vitest';
import { stampPresenceIdentity } from '../src/sync/presenceIdentity.ts';
import type { AwarenessEntry } from '../src/sync/awarenessOwners.ts';

const dan = { id: 'u-dan', name: 'Dan Driver', role: 'driver' as const };
const entry = (id: number, state: unknown): AwarenessEntry => ({ id, clock: 3, state: new TextEncoder().encode(JSON.stringify(state)) });
const stateOf = (e: AwarenessEntry) => JSON.parse(new TextDecoder().decode(e.state));

describe('stampPresenceIdentity', () => {
  it("keeps an honest state's meaning and replaces a forged user, keeping the rest", () => {
    const position = { lat: 51.5, lng: -0.12, at: 1 };
    const [honest, forged] = stampPresenceIdentity(
      [entry(1, { user: dan, viewing: 'card-1' }), entry(2, { user: { id: 'u-cora', name: 'Cora', role: 'coordinator' }, editing: 'card-2', position })],
      dan,
    );
    expect(stateOf(honest!)).toEqual({ user: dan, viewing: 'card-1' });
    expect(stateOf(forged!)).toEqual({ user: dan, editing: 'card-2', position });
    expect([honest!.id, honest!.clock, forged!.id, forged!.clock]).toEqual([1, 3, 2, 3]);
  });

  it('adds a user where there is none or it has another shape; a non-object state becomes just the user', () => {
    const stamped = stampPresenceIdentity([entry(1, { viewing: null }), entry(2, { user: 'Cora' }), entry(3, 7), entry(4, ['x']), entry(5, 'Cora')], dan);
    expect(stamped.map(stateOf)).toEqual([{ viewing: null, user: dan }, { user: dan }, { user: dan }, { user: dan }, { user: dan }]);
  });

  it('leaves a removal (null) as it is and does not change the entries it was given', () => {
    const removal = entry(1, null);
    const given = entry(2, { user: { name: 'Cora' } });
    const [r, g] = stampPresenceIdentity([removal, given], dan);
    expect(r).toBe(removal);
    expect(stateOf(given)).toEqual({ user: { name: 'Cora' } });
    expect(stateOf(g!)).toEqual({ user: dan });
  });

  it('throws on a state that is not JSON (the message is refused before anything changes)', () => {
    expect(() => stampPresenceIdentity([{ id: 1, clock: 1, state: new TextEncoder().encode('{"user":') }], dan)).toThrow();
  });
});
