import type { Transitions } from '../lib/transitions.ts';

/** Every order status, once: the type, the API's enum and the database's CHECK (migration 010) follow it. */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'closed',
  'refund_pending',
  'partially_refunded',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * docs/api.md#statuses: pending_payment → paid | closed; paid → refund_pending → partially_refunded | refunded,
 * or back where it was when a refund is rejected or fails for good. A partially refunded order can
 * have another refund.
 */
export const orderTransitions: Transitions<OrderStatus> = {
  pending_payment: ['paid', 'closed'],
  paid: ['refund_pending'],
  refund_pending: ['paid', 'partially_refunded', 'refunded'],
  partially_refunded: ['refund_pending'],
  refunded: [],
  closed: [],
};

export interface OrderRow {
  id: number;
  order_no: string;
  user_id: number;
  status: OrderStatus;
  amount: number;
  currency: string;
  paid_amount: number;
  refunded_amount: number;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
  paid_at: Date | null;
  closed_at: Date | null;
}

export interface OrderItemRow {
  sku: string;
  name: string;
  unit_price: number;
  quantity: number;
}

export const MAX_QUANTITY = 999;
export const MAX_LINES = 50;

/** Where an order rests once no refund of it is in flight: derived from the money, never remembered. */
export function settledOrderStatus(paid: number, refunded: number): OrderStatus {
  if (refunded === 0) return 'paid';
  return refunded >= paid ? 'refunded' : 'partially_refunded';
}
