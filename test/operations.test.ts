import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('answers /healthz when the database answers', async () => {
    const res = await t.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('serves Prometheus metrics that count requests by route', async () => {
    await t.call('GET', '/api/products');
    const res = await t.app.request('/metrics');
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/mallpay_http_requests_total\{method="GET",route="\/api\/products",status="200"\} \d+/);
  });

  it('generates /openapi.json from the route schemas and lists them at /docs', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/orders', '/orders/{orderNo}', '/products', '/auth/login', '/payment-methods']),
    );
    const docs = await t.call('GET', '/docs');
    expect(docs.text).toContain('/api/orders/{orderNo}/payments');
  });

  it('gives every response a request id, keeping a sane one the caller sent', async () => {
    const mine = await t.app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const generated = await t.app.request('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes in the contract’s error shape', async () => {
    const res = await t.call('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
