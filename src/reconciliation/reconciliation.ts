import { isCalendarDate } from '../lib/calendar-date.ts';
import type { Transitions } from '../lib/transitions.ts';

/**
 * What a bill line or the checker can disagree with mallpay about. Each kind has one remedy
 * (docs/operations.md): apply through the normal path, drive the refund, or flag for staff.
 */
export type DifferenceKind =
  /** Paid at the provider; our attempt is not succeeded. Remedy: query and apply (surplus goes back). */
  | 'payment_missing_here'
  /** Paid at the provider for a merchant number mallpay never issued. Flagged. */
  | 'payment_unknown_here'
  /** Succeeded here, and neither the bill nor a query at the provider shows it. Flagged. */
  | 'payment_missing_at_provider'
  | 'payment_amount_differs'
  /** Refunded at the provider under a refund number mallpay never issued. Flagged. */
  | 'refund_unknown_here'
  /** Refunded at the provider; our refund is not succeeded. Remedy: drive it (query), else flag. */
  | 'refund_missing_here'
  | 'refund_missing_at_provider'
  | 'refund_amount_differs'
  /** The provider's fund-flow bill disagrees with its trade bill (FundDifference). Flagged. */
  | 'funds_missing'
  | 'funds_unexplained'
  | 'funds_amount_differs'
  /** Checker: an order whose status disagrees with its payments and refunds. Flagged. */
  | 'order_status_inconsistent'
  /** Checker: a pending attempt or processing refund the provider still cannot answer about. Flagged. */
  | 'stuck_at_provider';

export type DifferenceStatus = 'open' | 'resolved' | 'flagged';

/** Open while its remedy runs; flagged ones wait for staff, who resolve them. */
export const differenceTransitions: Transitions<DifferenceStatus> = {
  open: ['resolved', 'flagged'],
  flagged: ['resolved'],
  resolved: [],
};

export interface DifferenceRow {
  id: number;
  key: string;
  source: 'bill' | 'checker';
  provider: string | null;
  bill_date: string | null;
  kind: DifferenceKind;
  payment_no: string | null;
  refund_no: string | null;
  order_no: string | null;
  provider_amount: number | null;
  our_amount: number | null;
  status: DifferenceStatus;
  remedy: string | null;
  detail: string | null;
  found_at: Date;
  resolved_at: Date | null;
  /** The staff member who closed it by hand, with their note; null when a remedy resolved it. */
  resolved_by: number | null;
  resolution_note: string | null;
}

/** The instants [start, end) of a Beijing calendar day `YYYY-MM-DD`. */
export function beijingDay(date: string): { start: Date; end: Date } {
  const start = new Date(`${date}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** The Beijing date before the one `at` falls on: the last complete bill day. */
export function previousBeijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
}

export const isBillDate = (s: string) => isCalendarDate(s);
