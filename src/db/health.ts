import type { Db } from './client.ts';

/** Answers when the database does (GET /healthz). */
export const ping = (db: Db) => db.query('SELECT 1');
