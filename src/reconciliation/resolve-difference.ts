import type { User } from '../accounts/accounts.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { guardedUpdate } from '../lib/transitions.ts';
import { differenceTransitions, type DifferenceRow } from './reconciliation.ts';
import { findDifferenceById } from './reconciliation.repository.ts';

/**
 * A staff member closes a difference the remedies left to people (flagged), or one a crash left open, with a
 * note of what they found and did. Who and what are kept with it; the alert counts it no more. Anything
 * already resolved is refused, so two people closing it at once record one resolution.
 */
export async function resolveDifference(
  deps: { db: Db; clock: Clock },
  staff: User,
  id: number,
  note: string,
): Promise<DifferenceRow> {
  const row = await guardedUpdate<DifferenceRow['status'], DifferenceRow>(deps.db, {
    table: 'reconciliation_differences',
    transitions: differenceTransitions,
    key: { id },
    to: 'resolved',
    from: ['flagged', 'open'],
    set: { resolved_at: deps.clock.now(), resolved_by: staff.id, resolution_note: note },
  });
  if (row) return row;
  const existing = await findDifferenceById(deps.db, id);
  if (!existing) throw new AppError('not_found', `no difference ${id}`);
  throw new AppError('invalid_state', `difference ${id} is ${existing.status}`);
}
