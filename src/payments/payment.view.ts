import type { Sql } from '../db/client.ts';
import { paymentView } from './payment.ts';
import { listPaymentsOfOrder } from './payments.repository.ts';

/** An order's payment attempts as the API shows them (the order view's `paymentsOf` part). */
export const paymentsOfOrder = async (sql: Sql, orderId: number) =>
  (await listPaymentsOfOrder(sql, orderId)).map(paymentView);
