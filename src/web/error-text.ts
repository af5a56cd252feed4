import type { AppError } from '../lib/errors.ts';
import { money } from './format.ts';
import type { Web } from './web-context.ts';

/** What a sentence about a refusal may need to name: products by name, amounts in the order's currency. */
export interface ErrorContext {
  productName?: (sku: string) => string;
  currency?: string;
}

const detail = (err: AppError) =>
  (err.details ?? {}) as {
    skus?: string[];
    refundable?: number;
    retryAfter?: number;
    maxUnitsPerProduct?: number;
    held?: number;
  };

/**
 * A sentence for the customer about a refusal from a service, in the page's language, with amounts as money
 * and products by name. The stable code stays in the API's answer and the log; a page never shows it, nor
 * the developer's English message.
 */
export function errorText(web: Web, err: AppError, ctx: ErrorContext = {}): string {
  const e = web.m.errors;
  const names = (detail(err).skus ?? []).map((s) => ctx.productName?.(s) ?? s).join(web.m.errors.listSeparator);
  switch (err.code) {
    case 'out_of_stock':
      return web.t(() => e.out_of_stock, { products: names });
    case 'quantity_limit_exceeded':
      return web.t(() => e.quantity_limit_exceeded, { products: names, max: detail(err).maxUnitsPerProduct ?? 0 });
    case 'hold_limit_reached':
      return web.t(() => e.hold_limit_reached, { held: detail(err).held ?? 0 });
    case 'unknown_sku':
      return web.t(() => e.unknown_sku, { products: names });
    case 'amount_exceeds_refundable': {
      const refundable = detail(err).refundable;
      return refundable && refundable > 0
        ? web.t(() => e.amount_exceeds_refundable, { amount: money(refundable, ctx.currency ?? 'CNY', web.lang) })
        : e.nothing_refundable;
    }
    case 'rate_limited': {
      const seconds = detail(err).retryAfter ?? 60;
      return web.t(() => e.rate_limited, { minutes: Math.max(1, Math.ceil(seconds / 60)) });
    }
    default: {
      const known = (e.byCode as Record<string, string>)[err.code];
      if (known) return known;
      if (err.code.endsWith('_not_found')) return e.not_found;
      return e.generic;
    }
  }
}
