/**
 * The bookings UI end to end, with screenshots at 1280×800 and 375×740 (test-artifacts/): a board
 * with a card in every status, the status filter, the coordinator's and the driver's card view
 * (actions, private details, timeline), Assign, "My deliveries", and the public tracking page.
 * Statuses are set over REST to keep the test fast; what is checked is what the browser shows.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addMembers, registerUser, signIn, transition } from './api.ts';
import { launchBrowser, newUserPage, screenshot, startAppServer } from './browser.ts';

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

const connected = (page: Page) => page.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();

async function newCard(page: Page, title: string, pickup: string, dropoff: string): Promise<string> {
  await page.getByTestId('new-card').click();
  await page.getByTestId('card-title-input').fill(title);
  await page.getByTestId('pickup-label-input').fill(pickup);
  await page.getByTestId('dropoff-label-input').fill(dropoff);
  let id: string | null = null;
  await expect.poll(() => (id = new URL(page.url()).searchParams.get('card'))).toBeTruthy();
  await page.getByTestId('card-item-title').filter({ hasText: title }).waitFor();
  return id!;
}

/** Both sizes of the current page; `prepare` runs after each resize (re-scroll, reopen...). */
async function shots(page: Page, name: string, prepare?: () => Promise<void>) {
  for (const [size, viewport] of [
    ['1280', DESKTOP],
    ['375', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await prepare?.();
    await page.waitForTimeout(150);
    await screenshot(page, `${name}-${size}`);
  }
  await page.setViewportSize(DESKTOP);
}

describe('bookings UI', () => {
  it('shows statuses, actions, private details, timeline, my deliveries and tracking', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();

    const amira = await registerUser(base, 'Amira Haddad', 'amira@example.org');
    const { id: boardId } = await amira.call<{ id: string }>('POST', '/api/boards', { name: 'Northside Food Bank' });
    const lena = await registerUser(base, 'Lena Fischer', 'lena@example.org');
    const sam = await registerUser(base, 'Sam Okafor', 'sam@example.org');
    await addMembers(base, amira, boardId, 'driver', [lena, sam]);

    const coord = await newUserPage(browser);
    await signIn(coord.context, base, amira);
    await coord.page.goto(`${base}/b/${boardId}`);
    await connected(coord.page);
    const cards = {
      cancelled: await newCard(coord.page, 'Furniture donation', 'Church hall', '22 Mill Lane'),
      delivered: await newCard(coord.page, 'Prescription pickup', 'Boots, Market Sq', '7 Orchard Row'),
      pickedUp: await newCard(coord.page, 'Hot meals for Elm Court', 'Community kitchen', 'Elm Court, flats 1–6'),
      claimedSam: await newCard(coord.page, 'Nappies and formula', "St Mary's Hall, 12 High St", '4B Elm Court'),
      claimedLena: await newCard(coord.page, 'Fresh veg box', 'Allotments, Park Rd', '15 Rose Street'),
      open: await newCard(coord.page, 'Weekly grocery box', "St Mary's Hall, 12 High St", '9 Station Road'),
    };

    await transition(amira, boardId, cards.cancelled, 'cancel', { note: 'Donor moved away' });
    for (const step of ['claim', 'pickup', 'deliver'] as const) {
      await transition(sam, boardId, cards.delivered, step, step === 'deliver' ? { note: 'Handed to Mrs Patel' } : {});
    }
    await transition(sam, boardId, cards.pickedUp, 'claim');
    await transition(sam, boardId, cards.pickedUp, 'pickup');
    await transition(sam, boardId, cards.claimedSam, 'claim');
    await transition(lena, boardId, cards.claimedLena, 'claim');
    const details = { recipientName: 'Joy Mensah', phone: '+44 7700 900123', accessNotes: 'Buzzer 4B, door code 1942. Leave with neighbour at 4A if out.' };
    await amira.call('PUT', `/api/boards/${boardId}/cards/${cards.claimedSam}/private`, details);
    await amira.call('PUT', `/api/boards/${boardId}/cards/${cards.pickedUp}/private`, { ...details, recipientName: 'Elm Court warden' });

    // ---- the board: one card in each status, labelled in words ----
    await coord.page.goto(`${base}/b/${boardId}`);
    await connected(coord.page);
    const statusOf = (id: string) => coord.page.locator(`[data-card-id="${id}"] [data-testid="card-status"]`).textContent();
    await expect.poll(() => statusOf(cards.cancelled)).toBe('Cancelled');
    await expect.poll(() => statusOf(cards.delivered)).toBe('Delivered by Sam Okafor');
    await expect.poll(() => statusOf(cards.pickedUp)).toBe('Picked up by Sam Okafor');
    await expect.poll(() => statusOf(cards.claimedSam)).toBe('Claimed by Sam Okafor');
    await expect.poll(() => statusOf(cards.claimedLena)).toBe('Claimed by Lena Fischer');
    await expect.poll(() => statusOf(cards.open)).toBe('Open');
    await shots(coord.page, 'bookings-board');

    // The status filter.
    await coord.page.getByTestId('status-filter').selectOption('claimed');
    await expect.poll(() => coord.page.getByTestId('card-item').count()).toBe(2);
    await coord.page.getByTestId('status-filter').selectOption('picked_up');
    await expect.poll(() => coord.page.getByTestId('card-item').count()).toBe(1);
    await coord.page.getByTestId('status-filter').selectOption('all');
    await expect.poll(() => coord.page.getByTestId('card-item').count()).toBe(6);

    // ---- coordinator's card view: release / cancel, private details (editable), timeline ----
    await coord.page.getByTestId('card-item').filter({ hasText: 'Nappies and formula' }).click();
    await coord.page.getByTestId('release-button').waitFor();
    await coord.page.getByTestId('cancel-button').waitFor();
    expect(await coord.page.getByTestId('claim-button').count()).toBe(0);
    expect(await coord.page.getByTestId('pickup-button').count()).toBe(0);
    await expect.poll(() => coord.page.getByTestId('private-recipient-input').inputValue()).toBe('Joy Mensah');
    await coord.page.getByTestId('private-phone-input').fill('+44 7700 900456');
    await coord.page.getByTestId('private-save').click();
    await expect.poll(() => coord.page.getByTestId('private-saved').textContent()).toBe('Saved.');
    await expect.poll(() => coord.page.getByTestId('timeline-entry').first().textContent()).toContain('Amira Haddad updated the private details');
    await shots(coord.page, 'bookings-card-coordinator');
    await shots(coord.page, 'bookings-card-coordinator-timeline', () => coord.page.getByTestId('timeline').scrollIntoViewIfNeeded());

    // Tracking link for the picked-up card.
    await coord.page.getByTestId('card-item').filter({ hasText: 'Hot meals for Elm Court' }).click();
    await coord.page.getByTestId('tracking-create').click();
    const trackUrl = await coord.page.getByTestId('tracking-url').inputValue();
    expect(trackUrl).toMatch(/\/track\/[a-z0-9]{16,}$/i);
    await expect.poll(() => coord.page.getByTestId('tracking-row').count()).toBe(1);
    await shots(coord.page, 'bookings-card-tracking', () => coord.page.getByTestId('tracking-url').scrollIntoViewIfNeeded());

    // A driver who joins while the board is open is offered the next time a card is opened.
    const omar = await registerUser(base, 'Omar Farouk', 'omar@example.org');
    await addMembers(base, amira, boardId, 'driver', [omar]);

    // Assign the open card to Lena.
    await coord.page.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await expect.poll(() => coord.page.getByTestId('assign-select').locator('option').allTextContents()).toEqual(['Choose a driver…', 'Lena Fischer', 'Omar Farouk', 'Sam Okafor']);
    await coord.page.getByTestId('assign-select').selectOption({ label: 'Lena Fischer' });
    await coord.page.getByTestId('assign-button').click();
    await expect.poll(() => coord.page.getByTestId('booking-status').textContent()).toBe('Claimed by Lena Fischer');
    await expect.poll(() => statusOf(cards.open)).toBe('Claimed by Lena Fischer');

    // Someone else reopens the cancelled card: the bookings document updates this view by itself.
    await coord.page.getByTestId('card-item').filter({ hasText: 'Furniture donation' }).click();
    await coord.page.getByTestId('reopen-button').waitFor();
    await transition(amira, boardId, cards.cancelled, 'reopen');
    await coord.page.getByTestId('claim-button').waitFor();
    expect(await coord.page.getByTestId('reopen-button').count()).toBe(0);

    // ---- Sam, a driver: My deliveries, the picked-up card with Deliver and read-only details ----
    const drv = await newUserPage(browser);
    await signIn(drv.context, base, sam);
    // Sam's bookings socket can be held, so his view goes stale and a click meets a real 409.
    let holding = false;
    const held: (() => void)[] = [];
    await drv.page.routeWebSocket(/\/sync\/[^/]+\/bookings$/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => (holding ? held.push(() => ws.send(m)) : ws.send(m)));
    });
    await drv.page.goto(`${base}/b/${boardId}`);
    await connected(drv.page);
    await drv.page.getByTestId('my-deliveries-link').click();
    const mine = drv.page.getByTestId('my-deliveries');
    await mine.waitFor();
    await expect.poll(() => drv.page.locator('[data-testid="my-active"] [data-testid="card-item-title"]').allTextContents()).toEqual([
      'Hot meals for Elm Court',
      'Nappies and formula',
    ]);
    await expect.poll(() => drv.page.locator('[data-testid="my-delivered"] [data-testid="card-item-title"]').allTextContents()).toEqual([
      'Prescription pickup',
    ]);
    await shots(drv.page, 'bookings-my-deliveries');

    await drv.page.getByTestId('card-item').filter({ hasText: 'Hot meals for Elm Court' }).click();
    await drv.page.getByTestId('deliver-button').waitFor();
    await drv.page.getByTestId('release-button').waitFor();
    // Release asks first (a stray tap would hand the card back to any driver); "Keep it" keeps it.
    const statusBefore = await drv.page.getByTestId('booking-status').textContent();
    await drv.page.getByTestId('release-button').click();
    await drv.page.getByTestId('release-button-confirm').waitFor();
    expect(await drv.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('release-button-confirm');
    await shots(drv.page, 'bookings-release-confirm');
    await drv.page.getByRole('group', { name: 'It was picked up. Put it back as open for any driver?' }).getByRole('button', { name: 'Keep it' }).click();
    await drv.page.getByTestId('release-button').waitFor();
    expect(await drv.page.getByTestId('booking-status').textContent()).toBe(statusBefore);
    await expect.poll(() => drv.page.getByTestId('private-recipient').textContent()).toBe('Elm Court warden');
    expect(await drv.page.getByTestId('private-recipient-input').count()).toBe(0);
    expect(await drv.page.getByTestId('tracking-create').count()).toBe(0);
    await shots(drv.page, 'bookings-card-driver');

    // A card held by someone else: no private details requested, no actions.
    await drv.page.getByTestId('status-filter').selectOption('all');
    await drv.page.getByTestId('card-item').filter({ hasText: 'Fresh veg box' }).click();
    await drv.page.getByTestId('booking-hint').waitFor();
    expect(await drv.page.getByTestId('private-details').count()).toBe(0);

    // Deliver with a note; the timeline shows it.
    await drv.page.getByTestId('card-item').filter({ hasText: 'Hot meals for Elm Court' }).click();
    await drv.page.getByTestId('deliver-note').fill('Left with the warden');
    await drv.page.getByTestId('deliver-button').click();
    await expect.poll(() => drv.page.getByTestId('booking-status').textContent()).toBe('Delivered by you');
    await expect.poll(() => drv.page.getByTestId('timeline-entry').first().textContent()).toContain('Left with the warden');
    // After delivery the driver no longer sees the private details.
    await expect.poll(() => drv.page.getByTestId('private-details').count()).toBe(0);

    // A 409 is said plainly: Lena claims the reopened card while Sam's view still shows it open.
    await drv.page.getByTestId('status-filter').selectOption('all');
    await drv.page.getByTestId('card-item').filter({ hasText: 'Furniture donation' }).click();
    await drv.page.getByTestId('claim-button').waitFor();
    holding = true;
    await transition(lena, boardId, cards.cancelled, 'claim');
    await drv.page.getByTestId('claim-button').click();
    await expect.poll(() => drv.page.getByTestId('booking-error').textContent()).toMatch(/^Already claimed by Lena Fischer at /);
    // The 409 carried the current booking: the view is right before the socket catches up.
    await expect.poll(() => drv.page.getByTestId('booking-status').textContent()).toBe('Claimed by Lena Fischer');
    await screenshot(drv.page, 'bookings-conflict-1280');
    holding = false;
    held.splice(0).forEach((send) => send());

    // ---- the public tracking page: no session ----
    const anon = await newUserPage(browser);
    await anon.page.goto(trackUrl.replace(/^https?:\/\/[^/]+/, base));
    await anon.page.getByTestId('track-page').waitFor();
    await expect.poll(() => anon.page.getByTestId('track-status').textContent()).toBe('Delivered');
    await expect.poll(() => anon.page.getByTestId('track-title').textContent()).toBe('Hot meals for Elm Court');
    await expect.poll(() => anon.page.getByTestId('track-headline').textContent()).toBe('Delivered by Sam.');
    expect(await anon.page.getByTestId('track-timeline-entry').count()).toBe(3);
    const body = await anon.page.textContent('body');
    expect(body).not.toContain('Elm Court warden');
    expect(body).not.toContain('Okafor');
    await shots(anon.page, 'bookings-track');
    // On a phone the four step labels stay apart ("Requested" ran into "Claimed", 4-6 px apart).
    await anon.page.setViewportSize(PHONE);
    const labels = await anon.page.locator('.track-step-label').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => [r.left, r.right]));
    const gaps = labels.slice(1).map((r, i) => Math.round(r[0]! - labels[i]![1]!));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(8);
    await anon.page.setViewportSize(DESKTOP);

    await anon.page.goto(`${base}/track/${'0'.repeat(32)}`);
    await anon.page.getByTestId('track-not-found').waitFor();
    await screenshot(anon.page, 'bookings-track-unknown-1280');
  });
});
