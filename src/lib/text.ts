import { z } from 'zod';

/**
 * C0 controls (NUL…US), DEL and the C1 controls: never part of a name, an e-mail address, a number or a
 * reason a person typed. PostgreSQL's text cannot even hold NUL (the insert fails), and a CR/LF in a value
 * that reaches a header or a log line splits it.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but a note or a reason may have lines and tabs. */
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The stable code for a value refused for its characters (also the zod issue's `params.code`). */
export const INVALID_CHARACTERS = 'invalid_characters';

export function hasControlCharacters(s: string, opts: { lines?: boolean } = {}): boolean {
  return (opts.lines ? CONTROL_BUT_LINES : CONTROL).test(s);
}

const refusal = (lines: boolean) => ({
  message: lines
    ? 'control characters other than newline and tab are not allowed'
    : 'control characters are not allowed',
  params: { code: INVALID_CHARACTERS },
});

/** A one-line text field (an e-mail, a sku, a method, a number): no control character at all. */
export const lineText = () => z.string().refine((s) => !hasControlCharacters(s), refusal(false));

/** A text a person writes (a reason, a review note): newlines and tabs allowed, other controls not. */
export const noteText = () => z.string().refine((s) => !hasControlCharacters(s, { lines: true }), refusal(true));

/**
 * For what mallpay stores about a request it did not accept (a rejected notification's message, the number
 * it names): PostgreSQL text cannot hold NUL, so controls become U+FFFD, and the value is capped.
 */
export function storableText(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  const clean = hasControlCharacters(s, { lines: true })
    ? s.replace(new RegExp(CONTROL_BUT_LINES.source, 'g'), '\ufffd')
    : s;
  return clean.length > max ? clean.slice(0, max) : clean;
}
