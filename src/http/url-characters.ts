import type { MiddlewareHandler } from 'hono';
import { AppError } from '../lib/errors.ts';
import { hasControlCharacters } from '../lib/text.ts';

/** `%00`…`%1F`, `%7F`: the only way a control character reaches a URL (the HTTP parser refuses raw ones). */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;

/**
 * No identifier, filter or search term in an address has a control character: one in the path or the query
 * string is refused (400 invalid_characters) before any route reads it, so that no path parameter or query
 * value can carry a NUL into a query (PostgreSQL refuses it: a 500) or a newline into a header.
 * The provider endpoints are not behind this: a provider's message is judged, recorded and answered in its
 * own format by the notification path.
 */
export const refuseControlCharactersInUrl: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  const at = url.indexOf('/', url.indexOf('//') + 2);
  const target = at < 0 ? '' : url.slice(at);
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.replaceAll('+', ' '));
  } catch {
    decoded = target;
  }
  if (ENCODED_CONTROL.test(target) || hasControlCharacters(decoded))
    throw new AppError('invalid_characters', 'the address contains a control character');
  await next();
};
