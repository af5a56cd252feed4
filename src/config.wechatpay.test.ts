import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const pemOf = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----`;
const base = {
  WECHATPAY_MCH_ID: '1900000001',
  WECHATPAY_APP_ID: 'wx0000000000000001',
  WECHATPAY_API_V3_KEY: 'a'.repeat(32),
  WECHATPAY_PRIVATE_KEY: pemOf('PRIVATE KEY'),
  WECHATPAY_CERT_SERIAL: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
};
const publicKey = {
  WECHATPAY_PLATFORM_PUBLIC_KEY: pemOf('PUBLIC KEY'),
  WECHATPAY_PLATFORM_KEY_ID: 'PUB_KEY_ID_0119000000012026010100000000000001',
};

describe('WeChat Pay verification settings', () => {
  it('takes the public key alone (public key mode)', () => {
    const c = loadConfig({ ...base, ...publicKey }).wechatpay!;
    expect(c).toMatchObject({ platformKeyId: publicKey.WECHATPAY_PLATFORM_KEY_ID, platformCerts: undefined });
  });

  it('takes platform certificates alone, each PEM of the setting, or "download" for none yet', () => {
    const two = `${pemOf('CERTIFICATE')}\n${pemOf('CERTIFICATE')}`;
    expect(loadConfig({ ...base, WECHATPAY_PLATFORM_CERTS: two }).wechatpay!.platformCerts).toHaveLength(2);
    expect(loadConfig({ ...base, WECHATPAY_PLATFORM_CERTS: 'download' }).wechatpay).toMatchObject({
      platformCerts: [],
      platformPublicKey: undefined,
    });
  });

  it('takes both while the merchant migrates', () => {
    const c = loadConfig({ ...base, ...publicKey, WECHATPAY_PLATFORM_CERTS: 'download' }).wechatpay!;
    expect(c.platformKeyId).toBe(publicKey.WECHATPAY_PLATFORM_KEY_ID);
    expect(c.platformCerts).toEqual([]);
  });

  it('stops without any verifier, or with a public key but no ID, naming the settings', () => {
    expect(() => loadConfig(base)).toThrow(
      /WECHATPAY_PLATFORM_PUBLIC_KEY \+ WECHATPAY_PLATFORM_KEY_ID, or WECHATPAY_PLATFORM_CERTS/,
    );
    expect(() => loadConfig({ ...base, WECHATPAY_PLATFORM_PUBLIC_KEY: pemOf('PUBLIC KEY') })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ ...base, ...publicKey, WECHATPAY_PLATFORM_KEY_ID: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' }),
    ).toThrow(/WECHATPAY_PLATFORM_KEY_ID/);
  });
});

describe('WeChat in-app channel settings (WECHAT_*)', () => {
  const full = { ...base, ...publicKey };
  it('takes each app on its own, with WeChat’s hosts by default', () => {
    const apps = loadConfig({
      ...full,
      WECHAT_OA_APP_ID: 'wx1111111111111111',
      WECHAT_OA_APP_SECRET: '0123456789abcdef0123456789abcdef',
      WECHAT_APP_APP_ID: 'wx3333333333333333',
    }).wechatpay!.apps!;
    expect(apps).toMatchObject({
      oa: { appId: 'wx1111111111111111' },
      mini: undefined,
      app: { appId: 'wx3333333333333333' },
      oauthBaseUrl: 'https://open.weixin.qq.com',
      apiBaseUrl: 'https://api.weixin.qq.com',
    });
  });

  it('stops on an app id without its secret, or a malformed id or host, naming the setting', () => {
    expect(() => loadConfig({ ...full, WECHAT_MINI_APP_ID: 'wx2222222222222222' })).toThrow(
      /WECHAT_MINI_APP_ID and WECHAT_MINI_APP_SECRET together/,
    );
    expect(() => loadConfig({ ...full, WECHAT_APP_APP_ID: 'not-an-app' })).toThrow(/WECHAT_APP_APP_ID/);
    expect(() => loadConfig({ ...full, WECHAT_API_BASE_URL: 'https://api.weixin.qq.com/' })).toThrow(
      /WECHAT_API_BASE_URL: must not end with a slash/,
    );
    expect(() => loadConfig({ ...full, WECHAT_APP_APP_ID: 'x' })).toThrow(ConfigError);
  });
});
