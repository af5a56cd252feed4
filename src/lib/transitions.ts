import type { Sql } from '../db/client.ts';
import { quoteIdent } from '../db/client.ts';

/** A status machine as data: for each status, the statuses it may move to. */
export type Transitions<S extends string> = { readonly [K in S]: readonly S[] };

/** The statuses from which `to` may be reached. */
export function sourcesOf<S extends string>(table: Transitions<S>, to: S): S[] {
  return (Object.keys(table) as S[]).filter((from) => table[from].includes(to));
}

export function canMove<S extends string>(table: Transitions<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

export interface GuardedUpdate<S extends string> {
  table: string;
  transitions: Transitions<S>;
  key: Record<string, unknown>;
  to: S;
  /** Other columns to set with the status change. */
  set?: Record<string, unknown>;
  /** Narrower than every allowed source, where a use case demands it. */
  from?: readonly S[];
}

/**
 * The only way a status changes: `UPDATE … WHERE key AND status = ANY(allowed sources) RETURNING *`.
 * No row back means the row is already elsewhere (a duplicate or a lost race): the caller re-reads and
 * answers from what is there, never overwrites it.
 */
export async function guardedUpdate<S extends string, Row = Record<string, unknown>>(
  sql: Sql,
  u: GuardedUpdate<S>,
): Promise<Row | undefined> {
  const from = (u.from ?? sourcesOf(u.transitions, u.to)).filter((s) => canMove(u.transitions, s, u.to));
  const sets = { status: u.to, ...u.set };
  const params: unknown[] = [];
  const assign = Object.entries(sets).map(([col, v]) => `${quoteIdent(col)} = $${params.push(v)}`);
  const where = Object.entries(u.key).map(([col, v]) => `${quoteIdent(col)} = $${params.push(v)}`);
  params.push(from);
  const rows = await sql.query<Row>(
    `UPDATE ${quoteIdent(u.table)} SET ${assign.join(', ')} WHERE ${where.join(' AND ')} AND status = ANY($${params.length}) RETURNING *`,
    params,
  );
  return rows[0];
}
