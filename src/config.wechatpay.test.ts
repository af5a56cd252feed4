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
