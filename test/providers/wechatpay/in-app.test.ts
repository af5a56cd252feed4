import { generateKeyPairSync } from 'node:crypto';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { describe, expect, it } from 'vitest';
import type { WechatpayCredentials } from '../../../src/config.ts';
import { FakeClock } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { createClientSigner } from '../../../src/providers/wechatpay/jsapi.ts';
import { createWechatpayProvider } from '../../../src/providers/wechatpay/provider.ts';

const merchant = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const creds: WechatpayCredentials = {
  mchId: '1900000001',
  appId: 'wx0000000000000001',
  apiV3Key: 'a'.repeat(32),
  privateKey: merchant.privateKey,
  certSerial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
  platformPublicKey: merchant.publicKey,
  platformKeyId: 'PUB_KEY_ID_0119000000012026010100000000000001',
  baseUrl: 'http://127.0.0.1:9',
};
const apps = { oauthBaseUrl: 'https://open.weixin.qq.com', apiBaseUrl: 'https://api.weixin.qq.com' };
const providerWith = (a?: WechatpayCredentials['apps']) =>
  createWechatpayProvider({ ...creds, apps: a }, { clock: new FakeClock(), log: silentLogger });

describe('WeChat Pay in-app client parameters and channels', () => {
  const signer = createClientSigner(merchant.privateKey);
  const now = new Date('2026-12-04T10:00:00Z');

  it('signs JSAPI parameters over appId, timeStamp, nonceStr and package, as wechatpay-axios-plugin verifies', () => {
    const p = signer.jsapi('wx1111111111111111', 'wx20261204180000abcdef', now);
    expect(p).toMatchObject({ timeStamp: '1796378400', package: 'prepay_id=wx20261204180000abcdef', signType: 'RSA' });
    const message = Formatter.joinedByLineFeed(p.appId, p.timeStamp, p.nonceStr, p.package);
    expect(Rsa.verify(message, p.paySign, merchant.publicKey)).toBe(true);
  });

  it('signs the mini-program’s parameters under its app id, and leaves appId out of them', () => {
    const p = signer.mini('wx2222222222222222', 'wxPREPAY', now);
    expect(p).not.toHaveProperty('appId');
    const message = Formatter.joinedByLineFeed('wx2222222222222222', p.timeStamp, p.nonceStr, p.package);
    expect(Rsa.verify(message, p.paySign, merchant.publicKey)).toBe(true);
  });

  it('signs the app’s PayReq over the bare prepay id, with package Sign=WXPay and partnerid unsigned', () => {
    const p = signer.app('wx3333333333333333', '1900000001', 'wxPREPAY', now);
    expect(p).toMatchObject({ partnerid: '1900000001', prepayid: 'wxPREPAY', package: 'Sign=WXPay' });
    const message = Formatter.joinedByLineFeed(p.appid, p.timestamp, p.noncestr, p.prepayid);
    expect(Rsa.verify(message, p.sign, merchant.publicKey)).toBe(true);
  });

  it('offers each in-app channel only when its app is configured', () => {
    expect(providerWith(undefined).channels).toEqual(['qr', 'h5']);
    expect(providerWith({ ...apps }).channels).toEqual(['qr', 'h5']);
    expect(providerWith({ ...apps, oa: { appId: 'wx1111111111111111', secret: 's'.repeat(32) } }).channels).toEqual([
      'qr',
      'h5',
      'jsapi',
    ]);
    expect(providerWith({ ...apps, app: { appId: 'wx3333333333333333' } }).channels).toEqual(['qr', 'h5', 'app']);
  });

  it('sends the browser to WeChat’s snsapi_base authorize page with its return address and state', () => {
    const p = providerWith({ ...apps, oa: { appId: 'wx1111111111111111', secret: 's'.repeat(32) } });
    const url = p.payer!.authorizeUrl('jsapi', 'https://shop.example/checkout/M1/payer/wechatpay/jsapi', 'abc123')!;
    expect(url.endsWith('#wechat_redirect')).toBe(true);
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      appid: 'wx1111111111111111',
      redirect_uri: 'https://shop.example/checkout/M1/payer/wechatpay/jsapi',
      response_type: 'code',
      scope: 'snsapi_base',
      state: 'abc123',
    });
    expect(p.payer!.authorizeUrl('mini', 'https://shop.example/x', 's')).toBeNull();
  });
});
