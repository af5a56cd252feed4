import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { guardedUpdate } from '../lib/transitions.ts';
import { differenceTransitions, type DifferenceRow, type DifferenceStatus } from './reconciliation.ts';
import { findDifference, insertDifference, type NewDifference } from './reconciliation.repository.ts';

export type Remedy = { status: Exclude<DifferenceStatus, 'open'>; remedy: string };

/**
 * Records a difference once and runs its remedy once. A difference already resolved or flagged is left
 * as it is (a second run changes nothing); one left open by a crash mid-remedy gets its remedy again.
 * Answers whether the difference was new.
 */
export function createDifferenceLog(deps: { db: Db; clock: Clock }) {
  return async function note(d: NewDifference, remedy: () => Promise<Remedy>): Promise<boolean> {
    const inserted = await insertDifference(deps.db, d, deps.clock.now());
    const row: DifferenceRow | undefined = inserted ?? (await findDifference(deps.db, d.key));
    if (!row || row.status !== 'open') return false;
    const outcome = await remedy();
    const now = deps.clock.now();
    await guardedUpdate(deps.db, {
      table: 'reconciliation_differences',
      transitions: differenceTransitions,
      key: { id: row.id },
      to: outcome.status,
      from: ['open'],
      set: { remedy: outcome.remedy, resolved_at: outcome.status === 'resolved' ? now : null },
    });
    return inserted !== undefined;
  };
}

export type DifferenceLog = ReturnType<typeof createDifferenceLog>;
