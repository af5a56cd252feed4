/** Stable error codes and the HTTP status each one answers with. */
const STATUS = {
  malformed_json: 400,
  invalid_request: 400,
  invalid_date: 400,
  validation_failed: 422,
  invalid_characters: 422,
  payload_too_large: 413,
  cross_site_request: 403,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  order_not_found: 404,
  payment_not_found: 404,
  refund_not_found: 404,
  unknown_sku: 422,
  out_of_stock: 409,
  quantity_limit_exceeded: 422,
  hold_limit_reached: 409,
  invalid_state: 409,
  order_expired: 409,
  payment_in_progress: 409,
  method_not_enabled: 422,
  channel_not_supported: 422,
  payer_code_required: 422,
  payer_code_invalid: 422,
  invalid_payment_code: 422,
  payment_declined: 422,
  amount_exceeds_refundable: 422,
  invalid_amount: 422,
  refund_limit_reached: 422,
  refund_window_closed: 422,
  already_reviewed: 409,
  same_approver: 409,
  idempotency_key_reused: 422,
  rate_limited: 429,
  provider_error: 502,
  provider_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (code: Extract<ErrorCode, `${string}not_found`>, what: string) =>
  new AppError(code, `${what} not found`);
