import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { lines, nonceStr } from './signing.ts';

/**
 * What a WeChat client needs to pay a prepay_id, signed with the merchant's API key (SHA256withRSA, base64).
 * JSAPI and the mini-program sign `appId\ntimeStamp\nnonceStr\nprepay_id=…\n`; the app's OpenSDK signs the
 * bare prepay_id on the fourth line, and `package=Sign=WXPay` and `partnerid` are not signed
 * (docs/protocols/wechatpay.md#client-invoke; wechatpay-go `services/payments/jsapi` and `app`
 * `PrepayWithRequestPayment`).
 */
export interface JsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** For `wx.requestPayment`: the same signature as JSAPI's, without appId (the mini-program is the app). */
export type MiniParams = Omit<JsapiParams, 'appId'>;

/** The OpenSDK's PayReq, named as the SDK names them. */
export interface AppParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  package: 'Sign=WXPay';
  noncestr: string;
  timestamp: string;
  sign: string;
}

export function createClientSigner(privateKeyPem: string) {
  const key: KeyObject = createPrivateKey(privateKeyPem);
  const sign = (...pieces: string[]) =>
    createSign('RSA-SHA256')
      .update(lines(...pieces))
      .sign(key, 'base64');
  const seconds = (now: Date) => String(Math.floor(now.getTime() / 1000));

  return {
    jsapi(appId: string, prepayId: string, now: Date): JsapiParams {
      const timeStamp = seconds(now);
      const nonce = nonceStr();
      const pkg = `prepay_id=${prepayId}`;
      return {
        appId,
        timeStamp,
        nonceStr: nonce,
        package: pkg,
        signType: 'RSA',
        paySign: sign(appId, timeStamp, nonce, pkg),
      };
    },
    mini(appId: string, prepayId: string, now: Date): MiniParams {
      const { appId: _signed, ...params } = this.jsapi(appId, prepayId, now);
      return params;
    },
    app(appId: string, mchId: string, prepayId: string, now: Date): AppParams {
      const timestamp = seconds(now);
      const noncestr = nonceStr();
      return {
        appid: appId,
        partnerid: mchId,
        prepayid: prepayId,
        package: 'Sign=WXPay',
        noncestr,
        timestamp,
        sign: sign(appId, timestamp, noncestr, prepayId),
      };
    },
  };
}
