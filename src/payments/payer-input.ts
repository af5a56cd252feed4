import { AppError } from '../lib/errors.ts';

/** What some channels need of the payer beyond the order (docs/api.md, POST /api/orders/{orderNo}/payments). */
export interface PayerInput {
  /** WeChat JSAPI: the OAuth code; mini-program: wx.login's code (exchanged for the openid, payer-code.ts). */
  code?: string | undefined;
  /** Alipay in-app (jsapi): the buyer's Alipay user id, from the mini-program's login. */
  buyerId?: string | undefined;
}

/**
 * Checked before an attempt is saved, so a request that lacks what its channel needs changes nothing. Face-to-face
 * (barcode) is a staff action with its own endpoint, never the customer's.
 */
export function checkPayerInput(method: string, channel: string, payer: PayerInput): void {
  if (channel === 'barcode')
    throw new AppError(
      'channel_not_supported',
      'payment codes are scanned by staff: POST /api/admin/orders/{orderNo}/payment-code',
    );
  if (method === 'alipay' && channel === 'jsapi' && !/^2088\d{12}$/.test(payer.buyerId ?? ''))
    throw new AppError('validation_failed', 'Alipay in-app pay needs buyerId: the buyer’s Alipay user id (2088…)');
}
