import type { Context } from 'hono';
import { AppError } from '../lib/errors.ts';
import { Layout } from './layout.tsx';
import { LoginRequired, loadWeb, type Web, type WebAuth } from './web-context.ts';

/** A sentence for the customer about an error from a service, in the page's language. */
export function errorText(web: Web, err: AppError): string {
  const known = web.m.errors[err.code as 'forbidden' | 'csrf_rejected' | 'not_found'];
  if (known) return known;
  if (err.code.endsWith('_not_found')) return web.m.errors.not_found;
  return web.t((m) => m.errors.generic, { message: err.message });
}

/**
 * Errors on pages answer as pages: a login redirect when one is needed, else the status and a readable
 * message, with the stable error code shown for support. A 5xx hides its details, as the API does.
 */
export function pageErrorHandler(auth: WebAuth) {
  return async (err: Error, c: Context): Promise<Response> => {
    if (err instanceof LoginRequired) return c.redirect(`/login?next=${encodeURIComponent(err.next)}`, 303);
    const web = await loadWeb(c, auth);
    const known = err instanceof AppError && err.status < 500;
    if (!known)
      (c.get('log') as { error?: (o: object, m: string) => void } | undefined)?.error?.(
        { err: err.message, stack: err.stack },
        'page error',
      );
    const status = known ? err.status : 500;
    const code = known ? err.code : 'internal';
    return c.html(
      <Layout web={web} title={web.m.errors.title}>
        <p class="notice bad" role="alert">
          {known ? errorText(web, err) : web.t((m) => m.errors.generic, { message: 'internal error' })}
        </p>
        <p class="error-code">{code}</p>
        <p>
          <a href={web.href('/')}>{web.m.result.backToShop}</a>
        </p>
      </Layout>,
      status as 400,
    );
  };
}
