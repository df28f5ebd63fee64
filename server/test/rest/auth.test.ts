/** Accounts over REST: register, login, logout, /api/me, the session cookie and its expiry, rate limits. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../../src/auth/rateLimiter.ts';
import { retryWait } from '../../src/routes/auth.ts';
import { DAY, PASSWORD, expectError, parseSetCookie, sessionCookie, setup, uniqueEmail } from './api.ts';

const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

describe('register', () => {
  it('answers 201 {user} and sets an httpOnly, SameSite=Lax, Path=/ session cookie, not Secure over http', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const res = await t.request('POST', '/api/auth/register', { json: { email: 'Ada@Example.ORG', password: PASSWORD, name: '  Ada  ' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ user: { id: expect.any(String), email: 'ada@example.org', name: 'Ada' } });
    expect(res.body.user.id).toMatch(/^[a-z0-9_-]{1,64}$/i);
    expect(JSON.stringify(res.body)).not.toContain('password');

    const cookie = parseSetCookie(res)!;
    expect(cookie).not.toBeNull();
    expect(cookie.value).toMatch(/^[a-z2-7]{32}$/);
    expect(cookie.attrs.httponly).toBe(true);
    expect(cookie.attrs.samesite).toBe('Lax');
    expect(cookie.attrs.path).toBe('/');
    expect(cookie.attrs.secure).toBeUndefined();
    expect(Math.abs(new Date(cookie.attrs.expires as string).getTime() - (clock.now + 30 * DAY))).toBeLessThan(1000);
  });

  it('marks the cookie Secure over https, and behind a trusted proxy that says https', async () => {
    const direct = setup();
    const res = await direct.request('POST', 'https://localhost/api/auth/register', { json: { email: uniqueEmail(), password: PASSWORD, name: 'A' } });
    expect(res.status).toBe(201);
    expect(parseSetCookie(res)!.attrs.secure).toBe(true);

    const proxied = setup({ trustProxy: true });
    const viaProxy = await proxied.request('POST', '/api/auth/register', {
      json: { email: uniqueEmail(), password: PASSWORD, name: 'B' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.status).toBe(201);
    expect(parseSetCookie(viaProxy)!.attrs.secure).toBe(true);

    // Without trustProxy the header is anyone's to send and is ignored.
    const untrusted = await direct.request('POST', '/api/auth/register', {
      json: { email: uniqueEmail(), password: PASSWORD, name: 'C' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(parseSetCookie(untrusted)!.attrs.secure).toBeUndefined();
  });

  it('stores only the SHA-256 of the session token, and an argon2id password hash', async () => {
    const t = setup();
    const user = await t.register('Hash Check');
    const token = user.cookie.slice('session='.length);
    const ids = (t.database.sqlite.prepare('select id from sessions').all() as { id: string }[]).map((r) => r.id);
    expect(ids).toEqual([sha256Hex(token)]);
    expect(ids).not.toContain(token);

    const rows = t.database.sqlite.prepare('select password_hash as hash from users').all() as { hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash.startsWith('$argon2id$')).toBe(true);
    expect(rows[0]!.hash).not.toContain(PASSWORD);
  });

  it('refuses a taken email with 409 email_taken, whatever its case', async () => {
    const t = setup();
    await t.register('First', 'Dup@Example.org');
    const again = await t.request('POST', '/api/auth/register', { json: { email: 'dup@example.ORG', password: PASSWORD, name: 'Second' } });
    expectError(again, 409, 'email_taken');
    expect(sessionCookie(again)).toBeNull();
    const same = await t.request('POST', '/api/auth/register', { json: { email: 'dup@example.org', password: 'another password', name: 'Third' } });
    expectError(same, 409, 'email_taken');
    expect(t.database.sqlite.prepare('select count(*) as n from users').get()).toEqual({ n: 1 });
  });
});

describe('login', () => {
  it('answers 200 {user} with a new session cookie; the email is case-insensitive', async () => {
    const t = setup();
    const user = await t.register('Login', 'Login.Case@Example.org');
    const res = await t.request('POST', '/api/auth/login', { json: { email: 'LOGIN.case@example.org', password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: { id: user.id, email: 'login.case@example.org', name: 'Login' } });
    const cookie = parseSetCookie(res)!;
    expect(cookie.attrs.httponly).toBe(true);
    expect(cookie.attrs.samesite).toBe('Lax');
    expect(cookie.attrs.path).toBe('/');
    const fresh = sessionCookie(res)!;
    expect(fresh).not.toBe(user.cookie);
    // Both sessions work.
    for (const cookie of [fresh, user.cookie]) {
      const me = await t.request('GET', '/api/me', { as: cookie });
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(user.id);
    }
  });

  it("signing in on a browser that holds a session ends that session (another person's too); other devices keep theirs", async () => {
    const t = setup();
    const amira = await t.register('Amira');
    const sam = await t.register('Sam');
    const phone = sessionCookie(await t.request('POST', '/api/auth/login', { json: { email: amira.email, password: PASSWORD } }))!;
    // Sam signs in on the shared laptop where Amira's session (amira.cookie) is still set, e.g.
    // because her sign-out was made offline and never reached the server.
    const res = await t.request('POST', '/api/auth/login', { as: amira, json: { email: sam.email, password: PASSWORD } });
    expect(res.status).toBe(200);
    expectError(await t.request('GET', '/api/me', { as: amira }), 401, 'unauthenticated');
    expect((await t.request('GET', '/api/me', { as: sessionCookie(res)! })).body.user.id).toBe(sam.id);
    expect((await t.request('GET', '/api/me', { as: phone })).body.user.id).toBe(amira.id);
    expect((await t.request('GET', '/api/me', { as: sam })).body.user.id).toBe(sam.id);
    // Registering on a browser with a session ends it too; a failed sign-in ends nothing.
    const failed = await t.request('POST', '/api/auth/login', { as: phone, json: { email: sam.email, password: 'not the password' } });
    expectError(failed, 401, 'invalid_credentials');
    expect((await t.request('GET', '/api/me', { as: phone })).status).toBe(200);
    const reg = await t.request('POST', '/api/auth/register', { as: phone, json: { email: uniqueEmail(), name: 'Dora', password: PASSWORD } });
    expect(reg.status).toBe(201);
    expectError(await t.request('GET', '/api/me', { as: phone }), 401, 'unauthenticated');
  });

  it('answers 401 invalid_credentials for a wrong password and for an unknown email alike', async () => {
    const t = setup();
    const user = await t.register('Wrong');
    const wrong = await t.request('POST', '/api/auth/login', { json: { email: user.email, password: 'not the password' } });
    expectError(wrong, 401, 'invalid_credentials');
    expect(sessionCookie(wrong)).toBeNull();
    const unknown = await t.request('POST', '/api/auth/login', { json: { email: 'nobody@example.org', password: PASSWORD } });
    expectError(unknown, 401, 'invalid_credentials');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });
});

describe('/api/me and logout', () => {
  it('GET /api/me answers {user, boards} for a session and 401 without one or with a bogus one', async () => {
    const t = setup();
    const user = await t.register('Me');
    const me = await t.request('GET', '/api/me', { as: user });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: { id: user.id, email: user.email, name: 'Me' }, boards: [] });

    expectError(await t.request('GET', '/api/me'), 401, 'unauthenticated');
    expectError(await t.request('GET', '/api/me', { as: 'session=' + 'a'.repeat(32) }), 401, 'unauthenticated');
    expectError(await t.request('GET', '/api/me', { as: 'session=not a token' }), 401, 'unauthenticated');
    // The database id is not a token: presenting it does not authenticate.
    const { id } = t.database.sqlite.prepare('select id from sessions').get() as { id: string };
    expectError(await t.request('GET', '/api/me', { as: `session=${id}` }), 401, 'unauthenticated');
  });

  it('logout answers 204, clears the cookie, and the old cookie no longer works', async () => {
    const t = setup();
    const user = await t.register('Bye');
    const second = await t.request('POST', '/api/auth/login', { json: { email: user.email, password: PASSWORD } });
    const otherSession = sessionCookie(second)!;

    const res = await t.request('POST', '/api/auth/logout', { as: user });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const cleared = parseSetCookie(res)!;
    expect(cleared).not.toBeNull();
    expect(cleared.value).toBe('');
    expect(cleared.attrs['max-age'] === '0' || new Date(cleared.attrs.expires as string).getTime() <= Date.now()).toBe(true);

    expectError(await t.request('GET', '/api/me', { as: user }), 401, 'unauthenticated');
    // Only that session ended.
    expect((await t.request('GET', '/api/me', { as: otherSession })).status).toBe(200);
    expect(t.database.sqlite.prepare('select count(*) as n from sessions').get()).toEqual({ n: 1 });
  });
});

describe('session expiry', () => {
  it('a session unused for 30 days is gone: 401, and its row is deleted', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const used = await t.register('Used');
    const unused = await t.register('Unused');
    clock.now += 30 * DAY - 1000;
    expect((await t.request('GET', '/api/me', { as: used })).status).toBe(200); // still valid (and extended)
    clock.now += 1000;
    expectError(await t.request('GET', '/api/me', { as: unused }), 401, 'unauthenticated');
    expect((await t.request('GET', '/api/me', { as: used })).status).toBe(200);
    const rows = t.database.sqlite.prepare('select user_id as userId from sessions').all();
    expect(rows).toEqual([{ userId: used.id }]);
  });

  it('slides: used after day 15 it is extended by 30 days from then and the cookie is re-set', async () => {
    const clock = { now: Date.now() };
    const start = clock.now;
    const t = setup({}, clock);
    const user = await t.register('Slide');

    clock.now = start + 10 * DAY;
    const early = await t.request('GET', '/api/me', { as: user });
    expect(early.status).toBe(200);
    expect(sessionCookie(early)).toBeNull(); // not due yet

    clock.now = start + 16 * DAY;
    const due = await t.request('GET', '/api/me', { as: user });
    expect(due.status).toBe(200);
    const cookie = parseSetCookie(due)!;
    expect(cookie).not.toBeNull();
    expect(`session=${cookie.value}`).toBe(user.cookie); // same session, new expiry
    expect(cookie.attrs.httponly).toBe(true);
    expect(cookie.attrs.samesite).toBe('Lax');
    expect(cookie.attrs.path).toBe('/');
    expect(Math.abs(new Date(cookie.attrs.expires as string).getTime() - (start + 46 * DAY))).toBeLessThan(1000);

    clock.now = start + 40 * DAY; // past the original 30 days, within 30 days of day 16
    expect((await t.request('GET', '/api/me', { as: user })).status).toBe(200);

    clock.now = start + 40 * DAY + 30 * DAY; // extended again at day 40: valid until day 70
    expectError(await t.request('GET', '/api/me', { as: user }), 401, 'unauthenticated');
  });

  it('without the day-16 use, the same session is dead at day 31', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const user = await t.register('No slide');
    clock.now += 31 * DAY;
    expectError(await t.request('GET', '/api/me', { as: user }), 401, 'unauthenticated');
  });
});

describe('rate limits', () => {
  it('the 21st login attempt from one IP within a minute is 429 rate_limited with Retry-After', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const user = await t.register('Limited');
    // Different accounts, so the per-account limit is not what stops us.
    for (let i = 0; i < 20; i++) {
      const res = await t.request('POST', '/api/auth/login', { json: { email: `nobody${i}@example.org`, password: 'wrong password' } });
      expectError(res, 401, 'invalid_credentials');
    }
    const blocked = await t.request('POST', '/api/auth/login', { json: { email: user.email, password: PASSWORD } });
    expectError(blocked, 429, 'rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.body.error.message).toBe('Too many attempts. Try again in a minute.');
    expect(sessionCookie(blocked)).toBeNull();

    clock.now += 61_000;
    expect((await t.request('POST', '/api/auth/login', { json: { email: user.email, password: PASSWORD } })).status).toBe(200);
  });

  it('11 attempts on one account are 429 even with the right password; other accounts are unaffected', async () => {
    const clock = { now: Date.now() };
    // A high per-IP limit, so only the per-account limit is under test (all requests share one IP here).
    const t = setup({ limits: { ...defaultLimits, loginPerIpPerMinute: 1000 } }, clock);
    const victim = await t.register('Victim');
    const bystander = await t.register('Bystander');
    for (let i = 0; i < 10; i++) {
      // Case variants are the same account.
      const email = i % 2 ? victim.email.toUpperCase() : victim.email;
      expectError(await t.request('POST', '/api/auth/login', { json: { email, password: `guess ${i} wrong` } }), 401, 'invalid_credentials');
    }
    const blocked = await t.request('POST', '/api/auth/login', { json: { email: victim.email, password: PASSWORD } });
    expectError(blocked, 429, 'rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.body.error.message).toBe(`Too many attempts. Try again in ${retryWait(retryAfter)}.`);
    expect(retryWait(retryAfter)).toMatch(/^(1[0-5]|[2-9]) minutes$|^a minute$/);

    expect((await t.request('POST', '/api/auth/login', { json: { email: bystander.email, password: PASSWORD } })).status).toBe(200);

    clock.now += 15 * 60_000 + 1000;
    expect((await t.request('POST', '/api/auth/login', { json: { email: victim.email, password: PASSWORD } })).status).toBe(200);
  });

  it('the 21st registration from one IP within an hour is 429 rate_limited with Retry-After', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    for (let i = 0; i < 20; i++) await t.register(`Reg ${i}`);
    const blocked = await t.request('POST', '/api/auth/register', { json: { email: uniqueEmail(), password: PASSWORD, name: 'One too many' } });
    expectError(blocked, 429, 'rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(t.database.sqlite.prepare('select count(*) as n from users').get()).toEqual({ n: 20 });

    clock.now += 3600_000 + 1000;
    expect((await t.request('POST', '/api/auth/register', { json: { email: uniqueEmail(), password: PASSWORD, name: 'Later' } })).status).toBe(201);
  });

  it('honours configured limits', async () => {
    const t = setup({ limits: { ...defaultLimits, registerPerIpPerHour: 2 } });
    await t.register('One');
    await t.register('Two');
    expectError(await t.request('POST', '/api/auth/register', { json: { email: uniqueEmail(), password: PASSWORD, name: 'Three' } }), 429, 'rate_limited');
  });
});

describe('retryWait', () => {
  it('says a wait in minutes or hours, rounded up to the minute', () => {
    expect([1, 59, 60, 61, 586, 3599, 3600, 5400, 7200].map(retryWait)).toEqual([
      'a minute',
      'a minute',
      'a minute',
      '2 minutes',
      '10 minutes',
      'an hour',
      'an hour',
      '2 hours',
      '2 hours',
    ]);
  });
});
