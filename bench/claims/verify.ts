/**
 * The winner check. Per round, from the HTTP answers: exactly one 200 per card that got claims, the
 * 200 names its own caller, and every 409 names that card's winner (status "claimed"). Across all
 * rounds, from the audit trail: the `booking.claim` rows are exactly the winners (one per card, same
 * driver, same intentId), so there are zero double bookings.
 */
import type { ClaimResult } from './protocol.ts';
import type { AuditEntry } from './audit.ts';

export interface Winner {
  driverId: string;
  intentId: string;
}

export interface RoundCheck {
  cardsClaimed: number;
  cardsWithOneWinner: number;
  /** Cards with more than one 200: double bookings seen by clients. */
  doubleWins: number;
  /** Cards that got claims but no 200 (only 409s or errors). */
  noWinner: number;
  /** 200s whose booking does not name the caller. */
  wrong200: number;
  /** 409s that do not name the card's winner as holder of a claimed booking. */
  bad409: number;
  winners: Map<string, Winner>;
  driverIds: string[];
}

export function checkRound(results: ClaimResult[], driverIds: string[]): RoundCheck {
  const byCard = new Map<string, ClaimResult[]>();
  for (const r of results) byCard.set(r.cardId, [...(byCard.get(r.cardId) ?? []), r]);
  const check: RoundCheck = { cardsClaimed: byCard.size, cardsWithOneWinner: 0, doubleWins: 0, noWinner: 0, wrong200: 0, bad409: 0, winners: new Map(), driverIds };
  for (const [cardId, rs] of byCard) {
    const wins = rs.filter((r) => r.status === 200);
    for (const w of wins) if (w.bookingDriverId !== driverIds[w.driverIndex]) check.wrong200++;
    if (wins.length > 1) check.doubleWins++;
    if (wins.length === 0) check.noWinner++;
    if (wins.length === 1) {
      check.cardsWithOneWinner++;
      const winner = driverIds[wins[0]!.driverIndex]!;
      check.winners.set(cardId, { driverId: winner, intentId: wins[0]!.intentId });
      for (const r of rs) if (r.status === 409 && !(r.bookingDriverId === winner && r.bookingStatus === 'claimed')) check.bad409++;
    } else {
      check.bad409 += rs.filter((r) => r.status === 409).length;
    }
  }
  return check;
}

export interface AuditCheck {
  claimRows: number;
  winnersExpected: number;
  /** Winners with exactly one matching booking.claim row (same card, actor, driver, intentId). */
  matched: number;
  /** Cards with more than one booking.claim row. */
  doubleRows: number;
  /** Claim rows on cards that had no winner, or naming another driver/intent. */
  mismatched: number;
  missing: number;
}

export function checkAudit(entries: AuditEntry[], winners: Map<string, Winner>): AuditCheck {
  const claims = entries.filter((e) => e.action === 'booking.claim');
  const byCard = new Map<string, AuditEntry[]>();
  for (const e of claims) byCard.set(e.cardId ?? '', [...(byCard.get(e.cardId ?? '') ?? []), e]);
  const out: AuditCheck = { claimRows: claims.length, winnersExpected: winners.size, matched: 0, doubleRows: 0, mismatched: 0, missing: 0 };
  for (const [cardId, rows] of byCard) {
    if (rows.length > 1) out.doubleRows++;
    const w = winners.get(cardId);
    if (!w) {
      out.mismatched += rows.length;
      continue;
    }
    const ok = rows.length === 1 && rows[0]!.actorId === w.driverId && rows[0]!.data?.driverId === w.driverId && rows[0]!.data?.intentId === w.intentId && rows[0]!.toStatus === 'claimed';
    if (ok) out.matched++;
    else out.mismatched += rows.length;
  }
  for (const cardId of winners.keys()) if (!byCard.has(cardId)) out.missing++;
  return out;
}
