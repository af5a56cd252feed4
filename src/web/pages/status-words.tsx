import type { OrderRow } from '../../orders/order.ts';
import type { Web } from '../web-context.ts';

/**
 * One vocabulary for the customer's pages, in every language: the same state reads the same everywhere, and
 * "closed" says why. An order closed before its deadline was cancelled; one closed at or after it expired.
 */
export function orderWord(web: Web, order: Pick<OrderRow, 'status' | 'closed_at' | 'expires_at'>): string {
  const w = web.m.words.order;
  if (order.status === 'closed') {
    const closedAt = order.closed_at ? new Date(order.closed_at).getTime() : Infinity;
    return closedAt < new Date(order.expires_at).getTime() ? w.cancelled : w.expired;
  }
  return (w as Record<string, string>)[order.status] ?? order.status;
}

/** A payment attempt: one closed while its order stayed open (or was paid by another) gave way to another method. */
export function paymentWord(web: Web, status: string, orderStatus: string): string {
  const w = web.m.words.payment;
  if (status === 'closed' && orderStatus !== 'closed') return w.switched;
  return (w as Record<string, string>)[status] ?? status;
}

export function refundWord(web: Web, status: string): string {
  return (web.m.words.refund as Record<string, string>)[status] ?? status;
}

export const OrderStatusText = ({ web, order }: { web: Web; order: OrderRow }) => (
  <strong class="order-status" data-status={order.status}>
    {orderWord(web, order)}
  </strong>
);
