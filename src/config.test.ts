import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to demo mode on PGlite with every method', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, dataDir: './data', demo: true, orderTtlSeconds: 1800 });
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.paymentMethods).toEqual(['alipay', 'wechatpay', 'unionpay']);
    expect(c.alipay).toBeUndefined();
  });

  it('turns demo mode off by default on PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', MALLPAY_DEMO: '1' }).demo).toBe(true);
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

  it('refuses half a set of provider credentials, naming what is missing', () => {
    expect(() => loadConfig({ ALIPAY_APP_ID: '2021' })).toThrow(/ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY/);
  });
});
