import type { PaymentAction } from '../providers/provider.ts';

/**
 * Whether a saved payment action is dead by now: a link (WeChat Pay's h5_url lives 5 minutes), which the same
 * attempt renews by asking its provider again with the same parameters, or a signed form (UnionPay's consume,
 * whose txnTime goes stale), which only a new attempt replaces (see needsNewAttempt).
 */
export const isActionExpired = (action: PaymentAction, now: Date): boolean =>
  (action.type === 'redirect' || action.type === 'form') &&
  action.expiresAt !== undefined &&
  new Date(action.expiresAt).getTime() <= now.getTime();

/**
 * An expired form cannot be signed again for the same attempt: UnionPay names a transaction by
 * merId+orderId+txnTime, so a fresh txnTime on the same orderId would be a second transaction. The attempt is
 * superseded instead (closed like any other), and the customer pays a new one with its own orderId and txnTime.
 */
export const needsNewAttempt = (action: PaymentAction | null, now: Date): boolean =>
  action?.type === 'form' && isActionExpired(action, now);

/** The client IP the first request carried, sent again so the renewal is the identical request. */
export const renewalClientIp = (action: PaymentAction | null): string | undefined =>
  action?.type === 'redirect' ? action.renewWith?.clientIp : undefined;

/** The action as a client sees it: the payer address kept for a renewal stays on the server. */
export const publicAction = (action: PaymentAction): PaymentAction =>
  action.type === 'redirect'
    ? { type: 'redirect', url: action.url, ...(action.expiresAt ? { expiresAt: action.expiresAt } : {}) }
    : action;
