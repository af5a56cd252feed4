import { Hono } from 'hono';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const STATIC_DIR = new URL('./static/', import.meta.url);

/** The files under static/ read once at start: the favicon and the product pictures (SVG drawn for this project). */
function loadSvgs(sub: string): Map<string, string> {
  const dir = fileURLToPath(new URL(sub, STATIC_DIR));
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.svg'))
      .map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')]),
  );
}

/**
 * Pictures change only with a release, so a browser keeps them a day; a picture is never a document that
 * could run anything (its own policy forbids scripts even when opened directly).
 */
const svgHeaders = {
  'content-type': 'image/svg+xml; charset=utf-8',
  'cache-control': 'public, max-age=86400',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

export function staticRoutes() {
  const app = new Hono();
  const favicon = loadSvgs('./').get('favicon.svg')!;
  const products = loadSvgs('./products/');
  // Browsers ask for /favicon.ico whatever the page links: both answer the same picture.
  app.get('/favicon.ico', (c) => c.body(favicon, 200, svgHeaders));
  app.get('/favicon.svg', (c) => c.body(favicon, 200, svgHeaders));
  app.get('/static/products/:file', (c) => {
    const svg = products.get(c.req.param('file'));
    return svg ? c.body(svg, 200, svgHeaders) : c.notFound();
  });
  return app;
}
