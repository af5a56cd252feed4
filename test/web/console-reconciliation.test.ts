import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMall, type TestMall } from '../support/mall.ts';
import { cspViolations, describeInBrowser, launchBrowser, logIn, newProfile, screenshot } from './browser.ts';

describeInBrowser('reconciliation differences in the console', () => {
  let t: TestMall;
  let browser: Browser;
  let profile: BrowserContext;
  let support: Page;
  let flaggedId: number;
  let oldId: number;

  const difference = async (id: number) =>
    (
      await t.db.query<{
        status: string;
        resolved_by: number | null;
        resolution_note: string | null;
        resolved_at: Date | null;
      }>('SELECT status, resolved_by, resolution_note, resolved_at FROM reconciliation_differences WHERE id = $1', [id])
    )[0]!;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
    const now = t.clock.now();
    const insert = `INSERT INTO reconciliation_differences (key, source, provider, bill_date, kind, provider_amount, status, remedy, detail, found_at, resolved_at, resolution_note)
      VALUES ($1, 'bill', 'wechatpay', '2026-11-25', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`;
    const insertId = async (values: unknown[]) => (await t.db.query<{ id: number }>(insert, values))[0]!.id;
    oldId = await insertId([
      'bill:wechatpay:2026-11-25:funds_amount_differs:::old',
      'funds_amount_differs',
      500,
      'resolved',
      'flagged for staff: ask the provider',
      'an older movement, settled long ago',
      now,
      now,
      'WeChat Pay corrected it',
    ]);
    flaggedId = await insertId([
      'bill:wechatpay:2026-11-25:funds_unexplained:::in:4200000777',
      'funds_unexplained',
      777,
      'flagged',
      'flagged for staff: ask the provider',
      'income 4200000777 of 7.77 that no trade explains',
      now,
      null,
      null,
    ]);
    profile = await newProfile(browser);
    support = await profile.newPage();
    profile.setDefaultTimeout(10_000);
    await logIn(support, t.url, 'support', '/console/reconciliation');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const card = (id: number) => support.locator(`section[data-difference="${id}"]`);
  const submitNote = async (page: Page, id: number, note: string) => {
    const form = page.locator(`section[data-difference="${id}"] form`);
    await form.getByLabel('What you found and did').fill(note);
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith(`/console/reconciliation/${id}/resolve`),
      ),
      form.getByRole('button', { name: 'Mark resolved' }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  };

  it('shows the flagged difference, not the resolved one, with the banner linking to the page', async () => {
    await support.goto(`${t.url}/console/reconciliation`);
    expect(await support.locator('h1').textContent()).toBe('Reconciliation differences');
    expect(await support.locator('section[data-difference]').count()).toBe(1);
    expect(await card(oldId).count()).toBe(0);
    const flagged = card(flaggedId);
    expect(await flagged.getAttribute('data-status')).toBe('flagged');
    expect(await flagged.locator('.kind').textContent()).toBe('Money movement no trade explains funds_unexplained');
    expect(await flagged.locator('.provider').textContent()).toBe('WeChat Pay');
    expect(await flagged.locator('.source').textContent()).toBe('Bill of 2026-11-25');
    expect(await flagged.locator('.provider-amount').textContent()).toBe('¥7.77');
    expect(await flagged.locator('.our-amount').textContent()).toBe('—');
    expect(await flagged.locator('.detail').textContent()).toBe('income 4200000777 of 7.77 that no trade explains');
    expect(await flagged.locator('.remedy').textContent()).toBe('flagged for staff: ask the provider');
    // The field is labelled and required.
    expect(await flagged.getByLabel('What you found and did').getAttribute('required')).not.toBeNull();

    const alert = support.locator('main section.alerts li[data-alert-kind=reconciliation_differences_open]');
    expect(await alert.textContent()).toContain('WeChat Pay: 1 reconciliation difference(s) open or flagged.');
    expect(await alert.locator('a').getAttribute('href')).toBe('/console/reconciliation?provider=wechatpay');
    expect(await support.locator('header nav a', { hasText: 'Reconciliation' }).getAttribute('href')).toBe(
      '/console/reconciliation',
    );
    await screenshot(support, 'console-reconciliation');
  });

  it('refuses a blank note and changes nothing', async () => {
    await support.goto(`${t.url}/console/reconciliation`);
    // Whitespace passes the browser's `required`; the server still refuses it.
    expect(await submitNote(support, flaggedId, '   ')).toBe(422);
    expect(await support.locator('main p.notice.bad[role=alert]').textContent()).toBe(
      `Difference ${flaggedId}: write what you found and did (at most 1000 characters) before marking it resolved.`,
    );
    expect(await card(flaggedId).count()).toBe(1);
    const row = await difference(flaggedId);
    expect(row.status).toBe('flagged');
    expect(row.resolution_note).toBeNull();
    expect(row.resolved_by).toBeNull();
  });

  it('resolves it with a note, records who did it, and a second attempt from a stale page is refused', async () => {
    // Another tab still shows the difference as flagged.
    const stale = await profile.newPage();
    await stale.goto(`${t.url}/console/reconciliation`);

    await support.goto(`${t.url}/console/reconciliation`);
    const note = 'WeChat Pay support: a test credit by their ops team, reversed on 11-27.';
    expect(await submitNote(support, flaggedId, note)).toBe(303);
    await support.waitForURL((u) => u.pathname === '/console/reconciliation' && u.search === `?resolved=${flaggedId}`);
    expect(await support.locator('main p.notice.ok[role=status]').textContent()).toBe(
      `Difference ${flaggedId} marked resolved.`,
    );
    const supportId = (await t.db.query<{ id: number }>(`SELECT id FROM users WHERE email = 'support@demo.test'`))[0]!
      .id;
    const row = await difference(flaggedId);
    expect(row.status).toBe('resolved');
    expect(row.resolved_by).toBe(supportId);
    expect(row.resolution_note).toBe(note);
    expect(row.resolved_at).not.toBeNull();

    // Gone from the default view, and from the banner.
    expect(await card(flaggedId).count()).toBe(0);
    expect(await support.locator('main').textContent()).toContain('No difference to show.');
    expect(await support.locator('li[data-alert-kind=reconciliation_differences_open]').count()).toBe(0);

    // Shown among the resolved ones, with who and what.
    await support.goto(`${t.url}/console/reconciliation?status=resolved`);
    const resolved = card(flaggedId);
    expect(await resolved.getAttribute('data-status')).toBe('resolved');
    expect(await resolved.locator('.resolution-note').textContent()).toBe(note);
    expect(await resolved.locator('.resolved-by').textContent()).toBe('support@demo.test');
    expect(await resolved.locator('form').count()).toBe(0);
    expect(await card(oldId).locator('.resolution-note').textContent()).toBe('WeChat Pay corrected it');

    // The stale tab tries to resolve it again: refused, and the first note stands.
    expect(await submitNote(stale, flaggedId, 'resolved twice')).toBe(409);
    expect(await stale.locator('main p.notice.bad[role=alert]').textContent()).toBe(
      `Difference ${flaggedId} is already resolved.`,
    );
    expect((await difference(flaggedId)).resolution_note).toBe(note);
    await stale.close();
  });

  it('speaks Japanese', async () => {
    await support.goto(`${t.url}/console/reconciliation?status=all&lang=ja`);
    expect(await support.locator('h1').textContent()).toBe('照合差異');
    expect(await card(flaggedId).locator('.kind').textContent()).toBe('どの取引にも対応しない入出金 funds_unexplained');
    expect(await card(flaggedId).locator('.provider-amount').textContent()).toBe('CN¥7.77');
    expect(await support.locator('header nav a', { hasText: '照合' }).getAttribute('href')).toBe(
      '/console/reconciliation?lang=ja',
    );
    await support.goto(`${t.url}/console/reconciliation?lang=en`);
  });

  it('refuses the page to a customer and sends an anonymous visitor to log in', async () => {
    const customer = await (await newProfile(browser)).newPage();
    await logIn(customer, t.url, 'customer');
    expect((await customer.goto(`${t.url}/console/reconciliation`))?.status()).toBe(403);
    const anonymous = await (await newProfile(browser)).newPage();
    await anonymous.goto(`${t.url}/console/reconciliation`);
    expect(new URL(anonymous.url()).pathname).toBe('/login');
  });

  it('ran no script the pages’ policy refused', () => {
    expect(cspViolations(profile)).toEqual([]);
  });
});
