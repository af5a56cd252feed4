import { createHash } from 'node:crypto';
import type { Db, Sql } from '../db/client.ts';
import { AppError } from './errors.ts';
import * as repo from './idempotency.repository.ts';

export interface StoredResponse<T> {
  status: number;
  body: T;
}

/**
 * Runs a create once per `Idempotency-Key`: the key is claimed in the same transaction as the change,
 * so a concurrent repeat waits on the key's row and then answers with the first response. The same key
 * with another body is refused. Errors are not stored: a request that failed may be sent again.
 */
export async function idempotent<T>(
  db: Db,
  req: { userId: number; scope: string; key: string | undefined; body: unknown },
  run: (sql: Sql) => Promise<StoredResponse<T>>,
): Promise<StoredResponse<T>> {
  if (req.key === undefined) return db.tx(run);
  if (!/^[\x21-\x7e]{1,255}$/.test(req.key))
    throw new AppError('invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  const hash = createHash('sha256').update(canonicalJson(req.body)).digest('hex');
  return db.tx(async (sql) => {
    const k = { userId: req.userId, scope: req.scope, key: req.key! };
    if (!(await repo.claimKey(sql, k, hash))) {
      const first = await repo.findKey<T>(sql, k);
      if (!first || first.request_hash !== hash) {
        throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used with another request body');
      }
      return { status: first.response_code, body: first.response_body };
    }
    const response = await run(sql);
    await repo.saveResponse(sql, k, response.status, response.body);
    return response;
  });
}

/** JSON with sorted keys, so that `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
