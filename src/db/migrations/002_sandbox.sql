-- The built-in provider sandboxes keep their own state here. mallpay's features never read these tables.
CREATE TABLE sandbox_keys (
  name       text PRIMARY KEY,
  material   jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One record per provider-side object (trade, refund, …), as each sandbox defines it.
CREATE TABLE sandbox_records (
  provider   text NOT NULL,
  kind       text NOT NULL,
  key        text NOT NULL,
  data       jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (provider, kind, key)
);

-- Outgoing notifications, retried on each provider's schedule until acknowledged.
CREATE TABLE sandbox_deliveries (
  id           bigserial PRIMARY KEY,
  provider     text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'gave_up', 'dropped')),
  sends        integer NOT NULL DEFAULT 0,
  next_at      timestamptz NOT NULL,
  locked_until timestamptz,
  last_result  text,
  created_at   timestamptz NOT NULL,
  delivered_at timestamptz
);
CREATE INDEX sandbox_deliveries_due_idx ON sandbox_deliveries (next_at) WHERE status = 'pending';
