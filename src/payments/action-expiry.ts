import type { PaymentAction } from '../providers/provider.ts';

/**
 * Whether a saved payment action is a dead link by now (WeChat Pay's h5_url lives 5 minutes): then the
 * same attempt asks its provider again, with the same parameters, for a fresh one.
 */
export const isActionExpired = (action: PaymentAction, now: Date): boolean =>
  action.type === 'redirect' && action.expiresAt !== undefined && new Date(action.expiresAt).getTime() <= now.getTime();

/** The client IP the first request carried, sent again so the renewal is the identical request. */
export const renewalClientIp = (action: PaymentAction | null): string | undefined =>
  action?.type === 'redirect' ? action.renewWith?.clientIp : undefined;

/** The action as a client sees it: the payer address kept for a renewal stays on the server. */
export const publicAction = (action: PaymentAction): PaymentAction =>
  action.type === 'redirect'
    ? { type: 'redirect', url: action.url, ...(action.expiresAt ? { expiresAt: action.expiresAt } : {}) }
    : action;
