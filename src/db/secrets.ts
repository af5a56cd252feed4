import { randomBytes } from 'node:crypto';
import type { Db } from './client.ts';

/**
 * A random secret made by whichever instance starts first and read by all the others, so that, say,
 * a form rendered by one instance is accepted by another and survives a restart.
 */
export async function loadOrCreateSecret(db: Db, name: string): Promise<Buffer> {
  await db.query('INSERT INTO app_secrets (name, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    name,
    randomBytes(32),
  ]);
  const [row] = await db.query<{ secret: Uint8Array }>('SELECT secret FROM app_secrets WHERE name = $1', [name]);
  return Buffer.from(row!.secret);
}
