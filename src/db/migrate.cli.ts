import { loadConfig } from '../config.ts';
import { openDb } from './client.ts';
import { migrate } from './migrate.ts';

const config = loadConfig(process.env);
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const applied = await migrate(db);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
await db.close();
