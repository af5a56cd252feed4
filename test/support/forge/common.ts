import type { Db } from '../../../src/db/client.ts';
import type { OutgoingRequest } from '../../../sandbox/shared/notifier.ts';

/** What a forger needs of the running mall: where it listens, and the database the sandboxes keep their keys in. */
export interface MallUnderTest {
  url: string;
  db: Db;
}

/** The key material a sandbox generated on first start (its keys.ts), read back from `sandbox_keys`. */
export async function sandboxKeys<T>(db: Db, name: 'alipay' | 'wechatpay' | 'unionpay'): Promise<T> {
  const [row] = await db.query<{ material: T }>('SELECT material FROM sandbox_keys WHERE name = $1', [name]);
  if (!row) throw new Error(`the ${name} sandbox has no keys yet: start the mall first`);
  return row.material;
}

export interface Delivery {
  status: number;
  contentType: string | null;
  text: string;
}

/** POSTs a notification exactly as built (headers and bytes), as the provider's server would. */
export async function deliver(req: OutgoingRequest): Promise<Delivery> {
  const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, redirect: 'manual' });
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

/** Changes one character of `value` (a digit or letter stays one): one byte tampered after signing. */
export function flipOneChar(value: string, at = value.length - 1): string {
  const c = value[at]!;
  const next = /[0-8]/.test(c) ? String(Number(c) + 1) : c === '9' ? '8' : c === 'A' ? 'B' : c === 'a' ? 'b' : 'A';
  return value.slice(0, at) + next + value.slice(at + 1);
}

/** Applies overrides to a field map: a string sets, null removes. */
export function withFields(
  fields: Record<string, string>,
  changes: Record<string, string | null> = {},
): Record<string, string> {
  const out = { ...fields };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
