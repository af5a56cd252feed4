import type { MiddlewareHandler } from 'hono';
import { AppError } from '../lib/errors.ts';
import { hasControlCharacters } from '../lib/text.ts';

/** The form fields a person writes sentences in: lines and tabs are theirs to use. */
const WRITTEN = new Set(['note', 'reason']);
/** Cleaned rather than refused: login keeps `next` only as a path of this site, else `/`. */
const CLEANED = new Set(['next']);

/**
 * The pages' half of the input rule the API's schemas apply (lib/text.ts): no form field, name or value,
 * may carry a control character, except newlines and tabs in a note or reason. Checked once for every page
 * POST before its handler (the parsed form is cached, so the handler reads the same one).
 */
export const refuseControlCharactersInForms: MiddlewareHandler = async (c, next) => {
  if (c.req.method !== 'POST') return next();
  const form = await c.req.parseBody();
  for (const [name, value] of Object.entries(form)) {
    if (CLEANED.has(name)) continue;
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (hasControlCharacters(name) || values.some((v) => hasControlCharacters(v, { lines: WRITTEN.has(name) })))
      throw new AppError('invalid_characters', `the field ${JSON.stringify(name)} contains a control character`);
  }
  await next();
};
