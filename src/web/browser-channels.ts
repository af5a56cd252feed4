import { own } from '../lib/own.ts';

/**
 * Channels a shop's web page cannot start: a native app's (the wallet's app SDK, UnionPay's mobile control), the
 * till's (a payment code staff scan) and Alipay's in-app trade (it needs the buyer's Alipay id, which only a
 * mini-program's login gives). The API offers them (GET /api/payment-methods); the checkout page does not.
 */
const NOT_FROM_A_PAGE: Record<string, readonly string[]> = {
  alipay: ['app', 'barcode', 'jsapi'],
  unionpay: ['app'],
  wechatpay: ['app', 'mini'],
};

export const pageChannels = (method: string, channels: readonly string[]): string[] =>
  channels.filter((c) => !(own(NOT_FROM_A_PAGE, method) ?? []).includes(c));
