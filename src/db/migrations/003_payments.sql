-- One row per payment attempt, each with its own merchant number, saved before the provider is called.
CREATE TABLE payments (
  id                bigserial PRIMARY KEY,
  payment_no        text NOT NULL UNIQUE,
  order_id          bigint NOT NULL REFERENCES orders(id),
  method            text NOT NULL,
  channel           text NOT NULL,
  merchant_id       text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'closed')),
  amount            bigint NOT NULL CHECK (amount > 0),
  currency          text NOT NULL,
  -- What the customer was given to pay with: {type:'qr'|'redirect'|'form', …}.
  action            jsonb,
  provider_trade_no text,
  failure_reason    text,
  -- Money that arrived for an order already closed or paid by another attempt: it goes back.
  surplus           boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  succeeded_at      timestamptz,
  closed_at         timestamptz
);
CREATE INDEX payments_order_idx ON payments (order_id);
-- Asking again for the same order, method and channel gives the pending attempt, never a second trade.
CREATE UNIQUE INDEX payments_one_pending_idx ON payments (order_id, method, channel) WHERE status = 'pending';

-- Every notification delivery received, with what became of it.
CREATE TABLE notifications (
  id           bigserial PRIMARY KEY,
  provider     text NOT NULL,
  received_at  timestamptz NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'rejected')),
  reason       text,
  message      text,
  kind         text,
  event_id     text,
  out_trade_no text,
  headers      jsonb NOT NULL,
  raw_body     text NOT NULL
);
CREATE INDEX notifications_provider_idx ON notifications (provider, id DESC);
CREATE INDEX notifications_trade_idx ON notifications (out_trade_no);
