import type { OpenAPIHono } from '@hono/zod-openapi';
import { html, raw } from 'hono/html';
import type { AppEnv } from './env.ts';

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'mallpay',
    version: '0.1.0',
    description:
      'Orders, payments and refunds. Money is an integer in minor units. Errors are {"error":{"code","message"}}.',
  },
  servers: [{ url: '/api' }],
};

/** `/openapi.json` from the route schemas, and `/docs`: a plain page of the operations (no CDN needed). */
export function mountDocs(app: OpenAPIHono<AppEnv>, api: OpenAPIHono<AppEnv>) {
  const document = () => api.getOpenAPI31Document(DOCUMENT);
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => {
    const doc = document();
    const rows = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, { summary?: string; tags?: string[] }>).map(
        ([method, op]) =>
          html`<tr>
            <td><code>${method.toUpperCase()}</code></td>
            <td><code>/api${path}</code></td>
            <td>${op.summary ?? ''}</td>
          </tr>`,
      ),
    );
    return c.html(
      html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width,initial-scale=1" />
            <title>mallpay API</title>
            <style>
              body {
                font:
                  15px/1.5 system-ui,
                  sans-serif;
                margin: 2rem;
                max-width: 72rem;
              }
              td {
                padding: 0.3rem 0.8rem;
                border-bottom: 1px solid #ddd;
                vertical-align: top;
              }
            </style>
          </head>
          <body>
            <h1>mallpay API</h1>
            <p>
              ${DOCUMENT.info.description} The machine-readable document is <a href="/openapi.json">/openapi.json</a>.
            </p>
            <table>
              <thead>
                <tr>
                  <th>Method</th>
                  <th>Path</th>
                  <th>What it does</th>
                </tr>
              </thead>
              <tbody>
                ${raw(rows.join(''))}
              </tbody>
            </table>
          </body>
        </html>`,
    );
  });
}
