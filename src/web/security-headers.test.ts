import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../test/support/app.ts';
import { autoSubmitForm } from '../providers/unionpay/consume-form.ts';
import { formAllowances, pageCsp } from './security-headers.ts';
import { PAY_POLL_SCRIPT } from './pay-poll.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('the pages’ security headers', () => {
  it('puts a policy on every page, error pages too, allowing only mallpay’s own script and no framing', async () => {
    for (const [path, status] of [
      ['/', 200],
      ['/login', 200],
      ['/console/refunds', 303],
      ['/orders/M0/refund', 303],
    ] as const) {
      const res = await t.call('GET', path);
      expect(res.status, path).toBe(status);
      if (status !== 200) continue;
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      // Only mallpay's own scripts, each by its hash (the pay page's poller among them).
      const scripts = (/script-src ([^;]*)/.exec(csp)?.[1] ?? '').split(' ');
      expect(scripts).toContain(hash(PAY_POLL_SCRIPT));
      expect(scripts.every((s) => s.startsWith("'sha256-"))).toBe(true);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const customer = await t.call('GET', '/console/refunds', {
      headers: { cookie: `mallpay_session=${await t.tokenOf('customer')}` },
    });
    expect(customer.status).toBe(403);
    expect(customer.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('leaves the API and the provider endpoints alone', async () => {
    expect((await t.call('GET', '/api/products')).headers.get('content-security-policy')).toBeNull();
    expect((await t.call('GET', '/healthz')).headers.get('content-security-policy')).toBeNull();
  });

  it('lets a provider’s form post to its gateway and submit itself, and nothing more', () => {
    const html = autoSubmitForm('https://gateway.95516.com/gateway/api/frontTransReq.do', {
      orderId: 'P1',
      txnAmt: '100',
    });
    const allow = formAllowances(html);
    expect(allow.formActions).toEqual(['https://gateway.95516.com']);
    const csp = pageCsp(allow);
    expect(csp).toContain("form-action 'self' https://gateway.95516.com;");
    expect(csp).toContain(hash("document.getElementById('unionpay-consume').submit();"));
  });
});
