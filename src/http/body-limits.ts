import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { PaymentMethod } from '../config.ts';
import { AppError } from '../lib/errors.ts';
import { enabledProvider, type Providers } from '../providers/registry.ts';
import type { AppEnv } from './env.ts';

/** `/api`: JSON a person or a back office sends; the largest real one (50 order lines) is under 4 KB. */
export const API_BODY_LIMIT = 64 * 1024;
/**
 * The pages' forms: the storefront (a `qty.<sku>` field per product), a refund reason of 500 characters and a
 * review note of 1,000 (9 bytes each once percent-encoded, CJK being 3 UTF-8 bytes): under 12 KB.
 */
export const PAGE_FORM_LIMIT = 32 * 1024;
/**
 * What each provider sends to `/notify/{method}` (and UnionPay's browser POST to `/return/unionpay`), with
 * room to spare over the largest real message we can account for; estimates, see docs/reliability.md (Edges):
 * - Alipay: a form of ~40 fields whose documented maxima add up to ~6 KB (subject 256 and body 400 characters,
 *   9 bytes each when CJK is percent-encoded, fund_bill_list, voucher_detail_list, passback_params 512).
 * - WeChat Pay v3: JSON whose `resource.ciphertext` is the whole transaction in base64, growing with
 *   `promotion_detail`/`goods_detail`; a few KB usually, and the least bounded of the three.
 * - UnionPay ACP 5.1.0: a form of ~30 fields with `signPubKeyCert` (a PEM, ~2.5 KB encoded) and reserved
 *   fields (reqReserved up to 1,024): ~5 KB.
 */
export const PROVIDER_BODY_LIMITS: Record<PaymentMethod, number> = {
  alipay: 32 * 1024,
  wechatpay: 64 * 1024,
  unionpay: 32 * 1024,
};

/** A body refused for its size at a provider endpoint: counted, and answered in the provider's own format. */
export type OnOversizedNotification = (c: Context<AppEnv>, method: PaymentMethod) => Response | Promise<Response>;

/**
 * One size limit per kind of route, checked before anything reads the body: the declared Content-Length first,
 * then the streamed size (a chunked body is cut off as soon as it passes the limit). Over it: 413
 * payload_too_large, nothing parsed, nothing stored; a provider's notification gets its provider's failure
 * answer (with 413) so that the provider treats it as refused.
 */
export function edgeBodyLimits(deps: {
  providers: Providers;
  onOversizedNotification: OnOversizedNotification;
}): MiddlewareHandler<AppEnv> {
  const tooLarge = (max: number) => () => {
    throw new AppError('payload_too_large', `the body is over ${max} bytes`);
  };
  const limit = (max: number) => bodyLimit({ maxSize: max, onError: tooLarge(max) });
  return async (c, next) => {
    if (!c.req.raw.body) return next();
    const path = c.req.path;
    const endpoint = /^\/(notify|return)\/([^/]+)\/?$/.exec(path);
    if (endpoint) {
      const p = enabledProvider(deps.providers, safeDecode(endpoint[2]!));
      // An unknown method is a 404 whatever its body: the smallest limit keeps that body unread.
      if (!p) return limit(Math.min(...Object.values(PROVIDER_BODY_LIMITS)))(c, next);
      const max = PROVIDER_BODY_LIMITS[p.method];
      if (endpoint[1] === 'return') return limit(max)(c, next);
      return bodyLimit({
        maxSize: max,
        onError: (cc) => deps.onOversizedNotification(cc as Context<AppEnv>, p.method),
      })(c, next);
    }
    return limit(path === '/api' || path.startsWith('/api/') ? API_BODY_LIMIT : PAGE_FORM_LIMIT)(c, next);
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
