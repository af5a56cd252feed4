-- Refunds: applied for by a customer (reviewed by staff) or opened automatically for surplus money.
CREATE TABLE refunds (
  id                 bigserial PRIMARY KEY,
  refund_no          text NOT NULL UNIQUE,
  order_id           bigint NOT NULL REFERENCES orders(id),
  payment_id         bigint NOT NULL REFERENCES payments(id),
  -- The applicant; null for a refund mallpay opened itself (money that should not have arrived).
  user_id            bigint REFERENCES users(id),
  automatic          boolean NOT NULL DEFAULT false,
  status             text NOT NULL CHECK (status IN ('pending_review', 'approved', 'rejected', 'processing', 'succeeded', 'failed')),
  amount             bigint NOT NULL CHECK (amount > 0),
  currency           text NOT NULL,
  reason             text NOT NULL,
  approvals_needed   integer NOT NULL DEFAULT 1,
  provider_refund_no text,
  failure_reason     text,
  -- Set when staff give up on a failed refund: it no longer holds any of the order's refundable amount.
  abandoned_at       timestamptz,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  sent_at            timestamptz,
  finished_at        timestamptz
);
CREATE INDEX refunds_order_idx ON refunds (order_id);
CREATE INDEX refunds_status_idx ON refunds (status, id);

-- Each staff approval; with dual approval two different staff members must approve.
CREATE TABLE refund_approvals (
  refund_id  bigint NOT NULL REFERENCES refunds(id),
  staff_id   bigint NOT NULL REFERENCES users(id),
  note       text NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (refund_id, staff_id)
);

-- A refund's history: every change with its time and actor. Append-only.
CREATE TABLE refund_events (
  id          bigserial PRIMARY KEY,
  refund_id   bigint NOT NULL REFERENCES refunds(id),
  at          timestamptz NOT NULL,
  actor_id    bigint REFERENCES users(id),
  actor_role  text NOT NULL,
  action      text NOT NULL,
  from_status text,
  to_status   text,
  note        text
);
CREATE INDEX refund_events_refund_idx ON refund_events (refund_id, id);

CREATE FUNCTION refund_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'refund history is append-only';
END;
$$;
CREATE TRIGGER refund_events_no_update BEFORE UPDATE OR DELETE ON refund_events
  FOR EACH ROW EXECUTE FUNCTION refund_events_append_only();

-- Messages to customers (refund approved, rejected, refunded, failed).
CREATE TABLE customer_messages (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id),
  kind       text NOT NULL,
  order_no   text NOT NULL,
  refund_no  text,
  amount     bigint,
  currency   text,
  note       text,
  created_at timestamptz NOT NULL,
  read_at    timestamptz
);
CREATE INDEX customer_messages_user_idx ON customer_messages (user_id, id DESC);

-- Surplus money goes back exactly once: at most one automatic refund per payment.
CREATE UNIQUE INDEX refunds_one_automatic_idx ON refunds (payment_id) WHERE automatic;
