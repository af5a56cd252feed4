import type { Context } from 'hono';
import { AppError } from '../lib/errors.ts';
import { errorText } from './error-text.ts';
import { Layout } from './layout.tsx';
import { LoginRequired, loadWeb, type WebAuth } from './web-context.ts';

export { errorText } from './error-text.ts';

/**
 * Errors on pages answer as pages: a login redirect when one is needed, else the status and a readable
 * message in the page's language (the stable code is in the log, with the request id). A 5xx hides its details.
 */
export function pageErrorHandler(auth: WebAuth) {
  return async (err: Error, c: Context): Promise<Response> => {
    if (err instanceof LoginRequired) return c.redirect(`/login?next=${encodeURIComponent(err.next)}`, 303);
    const web = await loadWeb(c, auth);
    const known = err instanceof AppError && err.status < 500;
    const log = c.get('log') as
      { error?: (o: object, m: string) => void; info?: (o: object, m: string) => void } | undefined;
    // The code and the developer's message go to the log, not onto the page.
    if (known) log?.info?.({ code: err.code, err: err.message }, 'page refusal');
    else log?.error?.({ err: err.message, stack: err.stack }, 'page error');
    const status = known ? err.status : 500;
    return c.html(
      <Layout web={web} title={web.m.errors.title}>
        <p class="notice bad" role="alert">
          {known ? errorText(web, err) : web.m.errors.internal}
        </p>
        <p>
          <a href={web.href('/')}>{web.m.result.backToShop}</a>
        </p>
      </Layout>,
      status as 400,
    );
  };
}
