import type { User } from '../accounts/accounts.ts';
import { AppError } from '../lib/errors.ts';
import type { OrderRow } from './order.ts';
import type { OrdersService } from './orders.service.ts';

/** Closes an unpaid order's attempts at their providers, then the order (the payments feature does it). */
export interface OrderCloser {
  closeOrder(orderNo: string): Promise<'closed' | 'paid' | 'retry'>;
}

/**
 * The customer closes an unpaid order of theirs: its attempts are closed at the providers first, so no money
 * can arrive for it afterwards unnoticed, and its stock goes back. The API and the pages share it.
 */
export async function cancelOwnOrder(
  deps: { orders: OrdersService; payments: OrderCloser },
  user: User,
  orderNo: string,
): Promise<OrderRow> {
  const order = await deps.orders.getOwn(user, orderNo);
  if (order.status !== 'pending_payment' && order.status !== 'closed')
    throw new AppError('invalid_state', `order is ${order.status}`);
  const outcome = await deps.payments.closeOrder(order.order_no);
  if (outcome === 'paid') throw new AppError('invalid_state', 'order was paid meanwhile');
  if (outcome === 'retry')
    throw new AppError('provider_unavailable', 'the provider did not confirm the close; try again');
  return deps.orders.getOwn(user, order.order_no);
}
