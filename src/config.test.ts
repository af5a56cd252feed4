import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to demo mode on PGlite with every method', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './data',
      demo: true,
      orderTtlSeconds: 1800,
    });
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.paymentMethods).toEqual(['alipay', 'wechatpay', 'unionpay']);
    expect(c.alipay).toBeUndefined();
  });

  it('turns demo mode off by default on PostgreSQL', () => {
    const pg = { DATABASE_URL: 'postgres://x@h/db', MALLPAY_SANDBOX: '1' };
    expect(loadConfig(pg).demo).toBe(false);
    expect(loadConfig({ ...pg, MALLPAY_DEMO: '1' }).demo).toBe(true);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PAYMENT_METHODS', { PAYMENT_METHODS: 'alipay,paypal' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['ORDER_TTL_SECONDS', { ORDER_TTL_SECONDS: '-5' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'http://example.test/' }],
    ['ALIPAY_PRIVATE_KEY', { ALIPAY_PRIVATE_KEY: '@/nonexistent/key.pem' }],
  ])('stops with a message that names %s when it is bad', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('posts UnionPay settlement-file requests to the file host, not the gateway, unless UNIONPAY_FILE_URL says otherwise', () => {
    const pem = '-----BEGIN X-----\nAA==\n-----END X-----';
    const up = {
      UNIONPAY_MER_ID: '777290058110048',
      UNIONPAY_SIGN_KEY: pem,
      UNIONPAY_SIGN_CERT: pem,
      UNIONPAY_ROOT_CERT: pem,
      UNIONPAY_MIDDLE_CERT: pem,
      UNIONPAY_GATEWAY: 'https://gateway.test.95516.com',
    };
    expect(loadConfig(up).unionpay?.fileUrl).toBe('https://filedownload.95516.com/');
    const test = loadConfig({ ...up, UNIONPAY_FILE_URL: 'https://filedownload.test.95516.com/' });
    expect(test.unionpay?.fileUrl).toBe('https://filedownload.test.95516.com/');
  });

  it('refuses half a set of provider credentials, naming what is missing', () => {
    expect(() => loadConfig({ ALIPAY_APP_ID: '2021' })).toThrow(/ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY/);
  });

  it('serves sandboxes in demo mode and never by default on PostgreSQL', () => {
    expect(loadConfig({}).sandbox).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', MALLPAY_SANDBOX: '1' }).sandbox).toBe(true);
    expect(loadConfig({ MALLPAY_SANDBOX: '0', PAYMENT_METHODS: 'alipay', ...alipayCreds }).sandbox).toBe(false);
  });

  it('chooses the Alipay sandbox key mode, public-key by default, and only where a sandbox runs', () => {
    expect(loadConfig({}).alipaySandboxKeyMode).toBe('public_key');
    expect(loadConfig({ ALIPAY_SANDBOX_KEY_MODE: 'certificate' }).alipaySandboxKeyMode).toBe('certificate');
    expect(() => loadConfig({ ALIPAY_SANDBOX_KEY_MODE: 'cert' })).toThrow(/ALIPAY_SANDBOX_KEY_MODE/);
    expect(() =>
      loadConfig({
        MALLPAY_SANDBOX: '0',
        PAYMENT_METHODS: 'alipay',
        ...alipayCreds,
        ALIPAY_SANDBOX_KEY_MODE: 'certificate',
      }),
    ).toThrow(/ALIPAY_SANDBOX_KEY_MODE: only meaningful with MALLPAY_SANDBOX=1/);
  });

  it('runs one process per core on PostgreSQL, one on PGlite, and refuses more on PGlite', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', MALLPAY_SANDBOX: '1' }).workers).toBe(
      availableParallelism(),
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', MALLPAY_SANDBOX: '1', MALLPAY_WORKERS: '3' }).workers).toBe(
      3,
    );
    expect(() => loadConfig({ MALLPAY_WORKERS: '2' })).toThrow(/MALLPAY_WORKERS: embedded PGlite is one process/);
  });

  it('without sandboxes, stops when an offered method lacks credentials, naming every missing setting', () => {
    const attempt = () =>
      loadConfig({ DATABASE_URL: 'postgres://x@h/db', PAYMENT_METHODS: 'alipay,unionpay', ...alipayCreds });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/unionpay: set UNIONPAY_MER_ID, UNIONPAY_SIGN_KEY, .*UNIONPAY_GATEWAY/);
    expect(attempt).not.toThrow(/alipay: set/);
    expect(() => loadConfig({ MALLPAY_SANDBOX: '0' })).toThrow(
      /alipay: set ALIPAY_APP_ID.*\n.*wechatpay: set WECHATPAY_MCH_ID/s,
    );
  });
});

const pemOf = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----`;
const alipayCreds = {
  ALIPAY_APP_ID: '2021000000000000',
  ALIPAY_PRIVATE_KEY: pemOf('PRIVATE KEY'),
  ALIPAY_PUBLIC_KEY: pemOf('PUBLIC KEY'),
};
