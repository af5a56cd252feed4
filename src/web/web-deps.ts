import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { NotificationReplay } from '../notifications/replay.service.ts';
import type { OrdersService } from '../orders/orders.service.ts';
import type { PaymentsService } from '../payments/payments.service.ts';
import type { PaymentCodeService } from '../payments/payment-code.service.ts';
import type { Providers } from '../providers/registry.ts';
import type { RefundsService } from '../refunds/refunds.service.ts';
import type { WebAuth } from './web-context.ts';

/** What the pages need: the same services the API uses, so a page can do nothing the API could not. */
export interface WebDeps extends WebAuth {
  db: Db;
  clock: Clock;
  providers: Providers;
  orders: OrdersService;
  payments: PaymentsService;
  /** Face-to-face pay at the till (console); absent where no provider takes payment codes. */
  paymentCodes?: PaymentCodeService;
  refunds: RefundsService;
  replay: NotificationReplay;
  /** Where browsers reach the mall (WeChat's OAuth sends them back here); else the request's own origin. */
  publicUrl?: string;
  /** How often the pay page asks for its payment's status. */
  pollIntervalMs: number;
}
