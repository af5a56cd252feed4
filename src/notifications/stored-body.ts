/** Reasons given before a notification is verified: anyone on the internet can produce these. */
export const UNVERIFIED_REASONS = ['bad_signature', 'malformed', 'probe'] as const;
export const isUnverified = (reason: string | undefined) =>
  (UNVERIFIED_REASONS as readonly string[]).includes(reason ?? '');

/**
 * How much of an unverifiable notification's body is kept: more than any real message (see
 * http/body-limits.ts), so that one refused because a key was not configured yet can still be replayed,
 * but a flood of junk costs at most this per row.
 */
export const UNVERIFIED_KEPT_CHARS = 8 * 1024;

export interface StoredBody {
  body: string;
  encoding: 'text' | 'base64';
  size: number;
  truncated: boolean;
}

/** The body as a row keeps it: capped when unverifiable, base64 when it holds a NUL (PostgreSQL text cannot). */
export function storedBody(raw: string, unverified: boolean): StoredBody {
  const size = Buffer.byteLength(raw, 'utf8');
  const kept = unverified && raw.length > UNVERIFIED_KEPT_CHARS ? raw.slice(0, UNVERIFIED_KEPT_CHARS) : raw;
  const nul = kept.includes('\u0000');
  return {
    body: nul ? Buffer.from(kept, 'utf8').toString('base64') : kept,
    encoding: nul ? 'base64' : 'text',
    size,
    truncated: kept.length !== raw.length,
  };
}

/** The bytes received (or their kept part), back from a row. */
export function bodyOf(row: { raw_body: string; body_encoding?: string | null }): string {
  return row.body_encoding === 'base64' ? Buffer.from(row.raw_body, 'base64').toString('utf8') : row.raw_body;
}
