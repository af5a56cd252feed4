import type { Clock } from '../lib/clock.ts';
import { jobHandler } from '../lib/jobs.ts';
import type { OrdersService } from './orders.service.ts';

/**
 * `order.expire`, enqueued with the order at its `expires_at`: an order still unpaid then is closed. Its
 * attempts must be closed at their providers first, which the payments feature does (`closeOrder`, passed in:
 * orders sit below payments); a paid attempt found on the way wins.
 */
export function expireOrderJob(deps: {
  orders: OrdersService;
  clock: Clock;
  closeOrder: (orderNo: string) => Promise<'closed' | 'paid' | 'retry'>;
}) {
  return jobHandler('order.expire', async ({ orderNo }) => {
    const order = await deps.orders.findOpen(orderNo);
    if (!order) return;
    if (order.expires_at > deps.clock.now()) return { again: order.expires_at };
    const outcome = await deps.closeOrder(orderNo);
    if (outcome === 'retry') throw new Error(`could not close the attempts of ${orderNo} at their providers yet`);
  });
}
