import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { enabledProvider, type Providers } from '../providers/registry.ts';
import * as repo from './notifications.repository.ts';
import type { NotificationsService } from './notifications.service.ts';
import { bodyOf } from './stored-body.ts';

export interface ReplayResult {
  replayOf: number;
  id: number;
  outcome: string;
  reason?: string;
}

/**
 * Staff replay a rejected notification once its cause is fixed (a key rotated, an order restored): the
 * stored raw body and provider headers go through the same verification and application as a delivery,
 * and the replay is recorded as a new notification with its own outcome. The API and the console share it.
 */
export function createNotificationReplay(deps: { db: Db; providers: Providers; notifications: NotificationsService }) {
  return async function replay(id: number): Promise<ReplayResult> {
    const n = await repo.findNotificationBody(deps.db, id);
    if (!n) throw new AppError('not_found', `no notification ${id}`);
    if (n.outcome !== 'rejected') throw new AppError('invalid_state', 'only a rejected notification can be replayed');
    // Only the start of an unverifiable body was kept: what is left could never verify.
    if (n.body_truncated)
      throw new AppError('invalid_state', `only the first part of notification ${id} was kept; it cannot be replayed`);
    const provider = enabledProvider(deps.providers, n.provider);
    if (!provider) throw new AppError('invalid_state', `${n.provider} is not enabled`);
    // Judged as of when these bytes first arrived (also when this row is itself a replay): a notification fresh
    // then is not stale because staff replay it later.
    const firstReceivedAt = (await repo.firstArrivalOf(deps.db, n)) ?? n.received_at;
    const replayed = await deps.notifications.receive(provider, {
      method: 'POST',
      headers: new Headers(n.headers),
      rawBody: bodyOf(n),
      query: new URLSearchParams(),
      firstReceivedAt,
    });
    // Never without its row: a replay is not subject to the per-address limit.
    if (replayed.id === null) throw new Error(`replay of notification ${id} was not recorded`);
    // The result of this very replay, not the newest row with these bytes (a redelivery may land meanwhile).
    return {
      replayOf: Number(n.id),
      id: replayed.id,
      outcome: replayed.outcome,
      ...(replayed.reason ? { reason: replayed.reason } : {}),
    };
  };
}

export type NotificationReplay = ReturnType<typeof createNotificationReplay>;
