import { enabledProvider, type Providers } from '../providers/registry.ts';

/**
 * A JSAPI payment from a page needs the payer's openid, which WeChat gives only through its OAuth page: the
 * checkout sends the browser there, and WeChat sends it back to `/checkout/{orderNo}/payer/{method}/{channel}`
 * with a one-time `code` and our `state`. The state is the page's anti-forgery token (hex: WeChat's state allows
 * only letters and digits), so nobody can make a customer's browser pay with a code of theirs.
 */
export function payerAuthorizeUrl(
  providers: Providers,
  opts: { origin: string; orderNo: string; method: string; channel: string; csrfToken: string },
): string | null {
  const provider = enabledProvider(providers, opts.method);
  if (!provider?.payer?.needsCode(opts.channel)) return null;
  const back = `${opts.origin}/checkout/${encodeURIComponent(opts.orderNo)}/payer/${opts.method}/${opts.channel}`;
  return provider.payer.authorizeUrl(opts.channel, back, stateOf(opts.csrfToken));
}

export const stateOf = (csrfToken: string) => Buffer.from(csrfToken, 'base64url').toString('hex');
/** The anti-forgery token the state carries, for the page's usual check. */
export const csrfOfState = (state: string) =>
  /^[0-9a-f]{2,128}$/.test(state) ? Buffer.from(state, 'hex').toString('base64url') : '';
