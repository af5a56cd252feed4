import type { Transitions } from '../lib/transitions.ts';

/** Every refund status, once: the type and the API's enum follow it. */
export const REFUND_STATUSES = ['pending_review', 'approved', 'rejected', 'processing', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * docs/api.md#statuses: pending_review → approved | rejected; approved → processing → succeeded | failed; failed →
 * processing (staff retry).
 */
export const refundTransitions: Transitions<RefundStatus> = {
  pending_review: ['approved', 'rejected'],
  approved: ['processing'],
  processing: ['succeeded', 'failed'],
  failed: ['processing'],
  rejected: [],
  succeeded: [],
};

/** Refunds that still hold part of the order's refundable amount (under review, at the provider, or failed but not given up). */
export const HOLDING_STATUSES: RefundStatus[] = ['pending_review', 'approved', 'processing', 'failed'];

export interface RefundRow {
  id: number;
  refund_no: string;
  order_id: number;
  payment_id: number;
  user_id: number | null;
  automatic: boolean;
  status: RefundStatus;
  amount: number;
  currency: string;
  reason: string;
  approvals_needed: number;
  provider_refund_no: string | null;
  failure_reason: string | null;
  abandoned_at: Date | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  finished_at: Date | null;
}
