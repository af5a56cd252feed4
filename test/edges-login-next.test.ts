import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';
import { pageSession } from './support/page-session.ts';

/** Where a browser would go with a Location header, resolved the way the URL standard does. */
const destination = (location: string) => new URL(location, 'http://localhost');

describe('after login, next leads only to a path on this site', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { RATE_LIMIT_LOGINS_PER_MINUTE: '1000' } });
  });
  afterAll(() => t.close());

  const login = async (next: string) => {
    const browser = pageSession((path, init) => t.app.request(path, init));
    const token = await browser.csrf(`/login?next=${encodeURIComponent(next)}`);
    return browser.post(
      '/login',
      { email: 'customer@demo.test', password: 'demo-customer', next },
      { token, headers: { origin: 'http://localhost' } },
    );
  };

  const offSite = [
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    '/\r\n/evil.example/x',
    '//evil.example/x',
    '/\\evil.example/x',
    '\\/evil.example/x',
    'https://evil.example/x',
    ' //evil.example',
    '/%09/evil.example',
    'javascript:alert(1)',
    '/\u0000/evil.example',
  ];
  for (const next of offSite) {
    it(`sends ${JSON.stringify(next)} to a page of this site`, async () => {
      const res = await login(next);
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      // eslint-disable-next-line no-control-regex
      expect(location).not.toMatch(/[\u0000-\u001f\u007f\\]/);
      expect(destination(location).origin).toBe('http://localhost');
    });
  }

  it('keeps a path of this site with its query and fragment', async () => {
    const res = await login('/orders?x=1#top');
    expect(res.headers.get('location')).toBe('/orders?x=1#top');
  });

  it('shows the login page for a next with a control character, and its form keeps only a safe path', async () => {
    const res = await t.app.request(`/login?next=${encodeURIComponent('/\t/evil.example/x')}`);
    expect(res.status).toBe(200);
    const kept = /name="next" value="([^"]*)"/.exec(await res.text())?.[1];
    expect(destination(kept ?? '/').origin).toBe('http://localhost');
  });
});
