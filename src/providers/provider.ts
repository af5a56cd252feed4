import type { PaymentMethod } from '../config.ts';

/**
 * The one interface every payment provider's adapter implements. Adapters speak our language at the edge:
 * integer minor units in, integer minor units out, and each wire status mapped by one exhaustive function.
 * Expected failures are values ({kind:'failed'|'unknown'}); only bugs throw.
 */
export interface PaymentProvider {
  readonly method: PaymentMethod;
  readonly channels: readonly string[];
  /** The merchant this adapter acts for (app_id, mchid, merId), recorded with each attempt. */
  readonly merchantId: string;
  /**
   * How a refund request the provider's query does not know is sent again. `same_number`: the same
   * out_request_no / out_refund_no is the same request, so sending it again can never refund twice (Alipay,
   * WeChat Pay). `new_number`: a request is named by its number AND its time of sending, and the gateway
   * refuses an old time, so it goes again as a new request with a new number (UnionPay's orderId + txnTime).
   */
  readonly refundResend: 'same_number' | 'new_number';

  createPayment(input: CreatePaymentInput): Promise<CreateResult>;
  queryPayment(ref: AttemptRef): Promise<PaymentState>;
  closePayment(ref: AttemptRef): Promise<CloseResult>;
  /** Face-to-face only: undo an attempt whatever its state, money paid included (Alipay's alipay.trade.cancel). */
  cancelPayment?(ref: AttemptRef): Promise<CancelResult>;
  /** Face-to-face only: whether `code` has the shape of this provider's payment codes (checked before any attempt). */
  acceptsPaymentCode?(code: string): boolean;
  refund(input: RefundInput): Promise<RefundState>;
  queryRefund(input: RefundInput): Promise<RefundState>;

  /** Verifies a notification on its raw body first, then parses it into our terms. Never throws for bad input. */
  parseNotification(req: InboundRequest): Promise<ParsedNotification>;
  /** The answer the provider expects: accepted (also for a duplicate) or refused. */
  acknowledge(accepted: boolean, reason?: string): Response;
  /** The browser's return from the cashier: which attempt, and whether its signature held. UI only. */
  parseReturn(req: InboundRequest): Promise<ReturnInfo>;
  /** The provider's bill of one day (Beijing date `YYYY-MM-DD`): every payment and refund it booked. */
  downloadBill(date: string): Promise<BillResult>;
  /** Channels that pay inside the provider's own app and must know who pays first (WeChat JSAPI, mini). */
  readonly payer?: PayerIdentity;
}

/** Who is paying, learnt from a one-time code the provider's app gave the client (WeChat OAuth, wx.login). */
export interface PayerIdentity {
  needsCode(channel: string): boolean;
  identify(channel: string, code: string): Promise<PayerResult>;
  /** Where a browser gets such a code (OAuth), coming back to `redirectUri` with `code` and `state`. */
  authorizeUrl(channel: string, redirectUri: string, state: string): string | null;
}

export type PayerResult =
  | { kind: 'identified'; openid: string }
  /** The code is no good (used, expired, another app's): the client must get a new one. */
  | { kind: 'refused'; reason: string; message: string }
  | { kind: 'unknown'; reason: string };

/** One line of a provider's daily bill, in our terms. */
export interface BillLine {
  kind: 'payment' | 'refund';
  /** Our attempt's merchant number (out_trade_no / orderId of the consume); '' on a refund line whose bill does not name it. */
  paymentNo: string;
  /** Our refund number, for refunds. */
  refundNo: string | null;
  providerTradeNo: string | null;
  /** Minor units; always positive (a refund line's amount is the money given back). */
  amount: number;
  at: Date;
}

/**
 * Where the provider's own files disagree about money (WeChat: the fund-flow bill against the trade bill).
 * Nothing in mallpay's books explains or repairs these, so each is flagged for staff.
 */
export interface FundDifference {
  kind: 'funds_missing' | 'funds_unexplained' | 'funds_amount_differs';
  /** The provider's number the money moved (or should have moved) under, and which way. */
  providerNo: string;
  direction: 'income' | 'expense';
  paymentNo: string | null;
  refundNo: string | null;
  /** The trade bill's amount, when the trade bill has the line. */
  amount: number | null;
  /** The fund-flow bill's amount, when it has the movement. */
  fundAmount: number | null;
  detail: string;
}

export type BillResult =
  | { kind: 'bill'; lines: BillLine[]; fundDifferences?: FundDifference[] }
  /** The provider has not made that day's bill yet (too early, or a future date). */
  | { kind: 'not_ready' }
  | { kind: 'unknown'; reason: string };

export type PaymentAction =
  | { type: 'qr'; content: string }
  | {
      type: 'redirect';
      url: string;
      /** A link that dies (WeChat's h5_url, 5 minutes): after this, ask the provider again for a new one. */
      expiresAt?: string;
      /** What the renewal must send again unchanged, so the provider sees the same request (WeChat H5). */
      renewWith?: { clientIp: string };
    }
  | {
      type: 'form';
      html: string;
      /**
       * After this the signed form must not be served again (UnionPay: its txnTime is the attempt's, and the
       * gateway refuses a txnTime far from its clock). Re-signing it with a fresh txnTime would be a new
       * transaction at the provider, so the customer gets a new attempt instead (payments.service create()).
       */
      expiresAt?: string;
    }
  /** In-app channels: what the provider's client API takes, verbatim (docs/channels/). */
  | { type: 'jsapi' | 'mini' | 'app'; params: Record<string, string> }
  /**
   * Face-to-face: staff scanned the buyer's payment code. `paid` at once, or `waiting` while the buyer confirms
   * (a password) on the phone: the staff page asks again until `waitUntil`, after which mallpay cancels the trade.
   */
  | { type: 'payment_code'; state: 'paid' | 'waiting'; waitUntil: string }
  /** The shop's native app hands `orderString` to the Alipay app SDK (`payTask`), which pays it. */
  | { type: 'alipay_app'; orderString: string }
  /** Inside Alipay (mini-program or in-app page): `my.tradePay({ tradeNO })`. */
  | { type: 'alipay_trade_pay'; tradeNo: string }
  /** The shop's native app hands `tn` to UnionPay's mobile payment control (`startPay`). */
  | { type: 'unionpay_app'; tn: string; mode: '00' | '01' };

/** What mallpay saved before it first called the provider about an attempt; every later call carries it. */
export interface AttemptRef {
  /** Our merchant number: Alipay/WeChat `out_trade_no`, UnionPay `orderId`. */
  paymentNo: string;
  channel: string;
  amount: number;
  currency: string;
  /** When the attempt was saved; UnionPay's `txnTime` is this in Beijing time. */
  createdAt: Date;
  /** The provider's own number once known: `trade_no`, `transaction_id`, UnionPay `queryId`. */
  providerTradeNo?: string | null;
  /**
   * The order's pay deadline, where the caller knows it: until then a UnionPay consume that failed may
   * still be paid (the cashier takes another card), so its failure is not final.
   */
  payBy?: Date | null;
}

export interface CreatePaymentInput extends AttemptRef {
  subject: string;
  expiresAt: Date;
  notifyUrl: string;
  /** Where the provider sends the browser back: PUBLIC_URL/return/{method}. */
  returnUrl: string;
  /**
   * Where a buyer who leaves the provider's page without paying goes (Alipay wap's `quit_url`): the attempt's pay
   * page, PUBLIC_URL/pay/{paymentNo}, which offers the cashier again and the other ways to pay.
   */
  quitUrl?: string;
  /** The payer's IP (WeChat Pay H5 requires it). */
  clientIp: string;
  /** The payer as PayerIdentity found them (WeChat JSAPI and mini-program: the openid under that app). */
  payer?: { openid: string } | undefined;
  /** Face-to-face: the payment code staff scanned from the buyer's phone (Alipay `auth_code`). */
  authCode?: string;
  /** In-app: the buyer's id at the provider (Alipay `buyer_id`, from the mini-program's login). */
  buyerId?: string;
}

/** alipay.trade.cancel: what the provider did to an attempt mallpay gave up on. */
export type CancelResult =
  | { kind: 'closed' }
  /** The buyer had paid meanwhile: the provider gave the money back. */
  | { kind: 'refunded' }
  /** Not known yet: cancel again (the same request) later. */
  | { kind: 'unknown'; reason: string };

export type CreateResult =
  | { kind: 'created'; action: PaymentAction }
  /** The provider refused the request for good. */
  | { kind: 'failed'; reason: string; message: string }
  /** Timeout or a system error: the trade may exist; keep the attempt pending and ask later. */
  | { kind: 'unknown'; reason: string; message: string };

export type PaymentState =
  | { kind: 'pending' }
  | { kind: 'succeeded'; providerTradeNo: string; amount: number; paidAt: Date | null }
  | { kind: 'closed' }
  | { kind: 'failed'; reason: string }
  /** Could not find out now (timeout, system error): ask again later. */
  | { kind: 'unknown'; reason: string };

export type CloseResult =
  | { kind: 'closed' }
  /** The customer paid before the close: query it and apply the payment instead. */
  | { kind: 'already_paid' }
  | { kind: 'unknown'; reason: string };

export interface RefundInput {
  /** Our refund number, saved before the first call and reused on every retry:
   * Alipay `out_request_no`, WeChat `out_refund_no`, UnionPay refund `orderId`. */
  refundNo: string;
  /** When the refund was saved (the customer applied). */
  createdAt: Date;
  /**
   * When this request was (or is being) sent to the provider, saved before the send: UnionPay's refund
   * `txnTime` is the time of sending, after review, and its queries name the refund by orderId + this.
   * The refund service always sets it; a caller that sends at once (tests) may leave it to `createdAt`.
   */
  sentAt?: Date;
  amount: number;
  reason: string;
  /** The payment being refunded, with its provider number (UnionPay `origQryId`). */
  payment: AttemptRef & { providerTradeNo: string };
  notifyUrl: string;
}

export type RefundState =
  | { kind: 'succeeded'; providerRefundNo: string | null }
  | { kind: 'processing'; providerRefundNo: string | null }
  | { kind: 'failed'; reason: string; message: string }
  /** The provider has no such refund: it never arrived, so sending the same refund number again is safe. */
  | { kind: 'not_found' }
  /** Timeout or a system error: never send a new refund; ask again later. */
  | { kind: 'unknown'; reason: string; message: string };

export interface InboundRequest {
  method: string;
  headers: Headers;
  /** Exactly the bytes received: signatures cover them. */
  rawBody: string;
  /** The query string, for GET returns. */
  query: URLSearchParams;
  /**
   * When these bytes first reached mallpay, for a staff replay of a stored notification: freshness checks
   * (WeChat's 5 minutes) judge the time it arrived, not the replay's. Absent for a live delivery: now.
   */
  firstReceivedAt?: Date;
  /** The sending address, kept with the record (unverifiable notifications are limited per address). */
  sourceIp?: string;
}

/** Stable reasons for refusing a notification, as shown at /api/admin/notifications. */
export type RejectReason =
  | 'bad_signature'
  /** Signed by a key the merchant does not hold (WeChat Pay's `Wechatpay-Serial`). */
  | 'unknown_serial'
  | 'merchant_mismatch'
  | 'stale'
  | 'malformed'
  | 'probe'
  | 'unknown_order'
  | 'amount_mismatch'
  | 'unknown_refund';

export type ParsedNotification =
  | { kind: 'rejected'; reason: RejectReason; message: string; paymentNo?: string }
  | {
      kind: 'payment';
      /** Stable across the provider's retries (Alipay `notify_id`, WeChat `id`, UnionPay orderId+queryId). */
      eventId: string;
      paymentNo: string;
      state: 'succeeded' | 'closed';
      amount: number;
      providerTradeNo: string;
      paidAt: Date | null;
      /** The provider advises a query before money state moves (UnionPay). */
      confirmByQuery: boolean;
    }
  | {
      kind: 'refund';
      eventId: string;
      paymentNo: string;
      /** Null where the provider does not say which refund (then the service asks it). */
      refundNo: string | null;
      state: 'succeeded' | 'failed' | 'processing';
      amount: number | null;
      confirmByQuery: boolean;
    }
  /** Verified, but nothing for us to do (e.g. Alipay TRADE_CLOSED for a trade never paid). */
  | { kind: 'ignored'; eventId: string; paymentNo: string; why: string };

export interface ReturnInfo {
  paymentNo: string | null;
  verified: boolean;
  /**
   * The cashier said, signed, that this try was declined (UnionPay frontUrl respCode ≠ 00). UI only: the
   * attempt itself stays pending while the provider may still take another card for it.
   */
  declined?: boolean;
}
