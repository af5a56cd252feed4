import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDb, quoteIdent, type Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * A fresh, migrated database for one test: its own PostgreSQL schema when DATABASE_URL is set, else an
 * in-memory PGlite loaded from a migrated template (much faster than migrating each time).
 */
export async function freshDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDb({ loadDataDir: await template() });
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openDb({ databaseUrl: url, schema, poolSize: 20 });
  await migrate(db);
  const close = db.close;
  return Object.assign(db, {
    close: async () => {
      await db.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`).catch(() => {});
      await close();
    },
  });
}

let templateDump: Promise<Blob> | undefined;
/** The migrated template made once per run by global-setup.ts (made here when run without it). */
function template(): Promise<Blob> {
  templateDump ??= (async () => {
    const path = inject('pgliteTemplate');
    if (path) return new Blob([await readFile(path)]);
    const db = await openDb({});
    await migrate(db);
    const dump = await db.dumpDataDir!();
    await db.close();
    return dump;
  })();
  return templateDump;
}
