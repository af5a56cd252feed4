import { AxeBuilder } from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));
const DOC_SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/**
 * Browser tests run wherever Chromium is installed. Without it they are skipped locally, saying why;
 * in CI (CI=true) they run anyway, so a missing Chromium fails them instead of passing silently.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (!existsSync(CHROMIUM) && !process.env.CI) {
    console.warn(
      `skipping "${name}": no Chromium at ${CHROMIUM} (apt-get install -y chromium); CI=true makes this a failure`,
    );
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** What Chromium refused under the pages' Content-Security-Policy, per profile: a test expects none. */
const refused = new WeakMap<BrowserContext, string[]>();
export const cspViolations = (context: BrowserContext) => refused.get(context) ?? [];

/** A fresh browser profile (its own cookies) with a phone-sized or desktop viewport and a language. */
export async function newProfile(
  browser: Browser,
  opts: { locale?: string; phone?: boolean; width?: number } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    viewport: opts.phone ? { width: opts.width ?? 390, height: 844 } : { width: opts.width ?? 1100, height: 800 },
    // A phone says so in its user agent: the checkout picks the wallets' phone channels by it.
    ...(opts.phone
      ? {
          userAgent:
            'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
          isMobile: true,
          hasTouch: true,
        }
      : {}),
  });
  const seen: string[] = [];
  refused.set(context, seen);
  context.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(`${m.location().url}: ${m.text()}`);
  });
  return context;
}

export async function logIn(
  page: Page,
  baseUrl: string,
  who: 'customer' | 'support' | 'admin',
  next = '/',
): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#email', `${who}@demo.test`);
  await page.fill('#password', `demo-${who}`);
  await Promise.all([
    page.waitForURL((u) => u.pathname === next.split('?')[0]),
    page.click('main form button[type=submit]'),
  ]);
}

/**
 * Full-page screenshots under screenshots/ (git-ignored), for people to look at. With UPDATE_DOC_SCREENSHOTS=1,
 * `forDocs` also writes a PNG of just the visible part (small enough to commit) under docs/screenshots/, linked
 * from the README: refreshing the committed pictures is a choice, so an ordinary test run leaves the tree clean.
 */
export async function screenshot(page: Page, name: string, forDocs = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  if (forDocs && process.env.UPDATE_DOC_SCREENSHOTS === '1') {
    mkdirSync(DOC_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${DOC_SCREENSHOTS}${name}.png`, fullPage: false });
  }
}

/** How much wider than the viewport the page is (0 when it does not scroll sideways). */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Places an order through the cart (each product added from the storefront) and answers its number. */
export async function orderFromStorefront(
  page: Page,
  baseUrl: string,
  quantities: Record<string, number>,
): Promise<string> {
  for (const [sku, qty] of Object.entries(quantities)) {
    await page.goto(`${baseUrl}/`);
    await page.fill(`#qty-${sku}`, String(qty));
    await Promise.all([page.waitForURL(/\/cart/), page.click(`form[data-add="${sku}"] button[type=submit]`)]);
  }
  await Promise.all([page.waitForURL(/\/checkout\/M\w+/), page.click('#place-order')]);
  const orderNo = /\/checkout\/(M\w+)/.exec(page.url())?.[1];
  expect(orderNo).toBeTruthy();
  return orderNo!;
}

/** Chooses a method and channel on the checkout page: its wallet button, or one under "Other ways to pay". */
export async function choose(page: Page, method: string, channel: string): Promise<void> {
  const button = page.locator(`form[data-method=${method}] button[value=${channel}]`).first();
  if (!(await button.isVisible())) await page.click('details.other summary');
  await button.click();
}

/**
 * Serious and critical accessibility violations on the page as it is now, named for the failure message. The same
 * rules as AxeBuilder's default run, made cheaper: legacy mode runs axe.run() in the page instead of opening a
 * blank tab per analysis to finish the run (our pages have no frames, where the two differ), and only violations
 * are detailed (passes and inapplicable rules are still evaluated, just not reported node by node). Measured: a
 * third to a quarter of the time per page.
 */
export async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .setLegacyMode()
    .options({ resultTypes: ['violations'] })
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${new URL(page.url()).pathname}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}
