import { z } from 'zod';

/**
 * Where Alipay's real behaviour is uncertain or varies, the sandbox offers each variant and mallpay must work
 * with all of them. Set with `POST /_control/modes` (docs/sandbox/alipay.md); kept in memory.
 */
export const modesSchema = z
  .object({
    /**
     * How the gateway answers its own refusals (40001/40002: app_id, signature, timestamp, cert serial numbers).
     * Seen in the wild: an unsigned `error_response` (Alipay's docs), an unsigned `<method>_response` for a wrong
     * app_id (fzlee/alipay #20), and a signed `<method>_response` once the app is known (alipay-sdk's own
     * fixture for isv.invalid-signature).
     */
    gatewayErrors: z.enum(['unsigned_error_response', 'unsigned_method_response', 'signed_when_app_known']),
    /**
     * When a trade starts to exist: `buyer` — page/wap when the buyer logs in or pays at the cashier,
     * precreate when the QR code is scanned (query and close answer ACQ.TRADE_NOT_EXIST before);
     * `request` — as soon as the gateway gets the request (precreate) or the browser follows the URL (page/wap).
     */
    tradeCreation: z.enum(['buyer', 'request']),
    /**
     * What closing a trade that does not exist yet does to a later payment (docs/protocols/alipay.md#u3, unconfirmed):
     * `blocks_payment` — the cashier refuses it; `no_effect` — the buyer can still pay until the trade expires.
     */
    closeBeforeBuyer: z.enum(['blocks_payment', 'no_effect']),
    /**
     * Whether a notification carries the optional fields it has no value for (unconfirmed, docs/protocols/alipay.md
     * #u-empty): `send` — as `passback_params=`, signed as `key=` like every parameter sent; `omit` — left out.
     */
    notifyEmptyFields: z.enum(['send', 'omit']),
  })
  .strict();

export type AlipayModes = z.infer<typeof modesSchema>;

export const DEFAULT_MODES: AlipayModes = {
  gatewayErrors: 'unsigned_error_response',
  tradeCreation: 'buyer',
  closeBeforeBuyer: 'blocks_payment',
  notifyEmptyFields: 'send',
};
