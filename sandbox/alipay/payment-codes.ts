import { randomInt } from 'node:crypto';
import { beijingDateTime } from '../../src/lib/clock.ts';
import type { SandboxTrade } from './trades.ts';

/**
 * The sandbox's test buyers for face-to-face pay (docs/sandbox/alipay.md#payment-codes): each payment code scripts
 * what its buyer does when staff scan it. Real codes are 16–24 digits starting 25–30 and change every minute; these
 * keep that shape and stay valid, so a test or a developer can type them again.
 */
export type CodeOutcome =
  | { kind: 'pays' }
  /** Alipay asks the buyer for the password (10003); the buyer confirms after `seconds` (sandbox time). */
  | { kind: 'password'; seconds: number }
  /** Asked for the password, the buyer never confirms: mallpay must cancel. */
  | { kind: 'never' }
  | { kind: 'insufficient_balance' };

export interface TestBuyer {
  code: string;
  outcome: CodeOutcome;
  buyerId: string;
  logonId: string;
}

export const TEST_BUYERS: readonly TestBuyer[] = [
  { code: '280000000000000001', outcome: { kind: 'pays' }, buyerId: '2088000000000001', logonId: 'pay***@sandbox' },
  {
    code: '280000000000000002',
    outcome: { kind: 'password', seconds: 10 },
    buyerId: '2088000000000002',
    logonId: 'pwd***@sandbox',
  },
  { code: '280000000000000003', outcome: { kind: 'never' }, buyerId: '2088000000000003', logonId: 'nvr***@sandbox' },
  {
    code: '280000000000000004',
    outcome: { kind: 'insufficient_balance' },
    buyerId: '2088000000000004',
    logonId: 'low***@sandbox',
  },
];

/** "25~30开头的长度为16~24位的数字" (alipay.trade.pay, auth_code). */
export const PAYMENT_CODE_SHAPE = /^(2[5-9]|30)\d{14,22}$/;

/**
 * The buyer a code belongs to: a listed test buyer, or a code of the form 2810000000000NNNNN (18 digits), a buyer
 * who confirms the password after NNNNN seconds — for tests that need another wait than 10 s.
 */
export function buyerOfCode(code: string): TestBuyer | undefined {
  const listed = TEST_BUYERS.find((b) => b.code === code);
  if (listed) return listed;
  const m = /^2810000000000(\d{5})$/.exec(code);
  if (!m) return undefined;
  return {
    code,
    outcome: { kind: 'password', seconds: Number(m[1]) },
    buyerId: `2088100000${m[1]}0`.slice(0, 16),
    logonId: 'pwd***@sandbox',
  };
}

/** Marks a trade paid by its buyer, now. */
export function markPaid(t: SandboxTrade, at: Date, buyer?: { buyerId: string; logonId: string }): void {
  t.opened = true;
  t.status = 'TRADE_SUCCESS';
  t.gmtPayment = beijingDateTime(at);
  t.buyerId = buyer?.buyerId ?? t.buyerId ?? `2088${String(randomInt(1e12)).padStart(12, '0')}`;
  t.buyerLogonId = buyer?.logonId ?? t.buyerLogonId ?? '138****0000';
  t.payAt = null;
}

/** A face-to-face buyer whose confirmation time has come pays now; true when the trade changed (notify it). */
export function confirmDuePassword(t: SandboxTrade, now: Date): boolean {
  if (t.status !== 'WAIT_BUYER_PAY' || !t.payAt || new Date(t.payAt).getTime() > now.getTime()) return false;
  // Too late: the trade had closed (expired) before the buyer confirmed.
  if (new Date(t.payAt).getTime() >= new Date(t.expiresAt).getTime()) return false;
  markPaid(t, new Date(t.payAt));
  return true;
}
