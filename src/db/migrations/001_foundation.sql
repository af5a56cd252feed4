-- Accounts: customers and staff. Passwords are scrypt hashes; sessions keep only a hash of the token.
CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('customer', 'support', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Catalog. Money is an integer in the currency's minor unit.
CREATE TABLE products (
  sku      text PRIMARY KEY,
  name     text NOT NULL,
  price    bigint NOT NULL CHECK (price > 0),
  currency text NOT NULL DEFAULT 'CNY',
  stock    integer NOT NULL CHECK (stock >= 0)
);

CREATE TABLE orders (
  id                   bigserial PRIMARY KEY,
  order_no             text NOT NULL UNIQUE,
  user_id              bigint NOT NULL REFERENCES users(id),
  status               text NOT NULL,
  amount               bigint NOT NULL CHECK (amount > 0),
  currency             text NOT NULL,
  paid_amount          bigint NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  refunded_amount      bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
  -- Where a refund application returns the order when it is rejected or fails for good.
  status_before_refund text,
  expires_at           timestamptz NOT NULL,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  paid_at              timestamptz,
  closed_at            timestamptz,
  CHECK (refunded_amount <= paid_amount)
);
CREATE INDEX orders_user_idx ON orders (user_id, id DESC);

CREATE TABLE order_items (
  order_id   bigint NOT NULL REFERENCES orders(id),
  sku        text NOT NULL REFERENCES products(sku),
  name       text NOT NULL,
  unit_price bigint NOT NULL,
  quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  PRIMARY KEY (order_id, sku)
);

-- First response of a POST that carried an Idempotency-Key, replayed for repeats.
CREATE TABLE idempotency_keys (
  user_id       bigint NOT NULL REFERENCES users(id),
  scope         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  response_code integer,
  response_body jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, scope, key)
);

-- Durable jobs, enqueued in the transaction of the change that causes them and claimed with SKIP LOCKED.
CREATE TABLE jobs (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL,
  payload      jsonb NOT NULL,
  run_at       timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 25,
  locked_by    text,
  locked_until timestamptz,
  last_error   text,
  dead_at      timestamptz,
  -- At most one live job per key (one expiry per order, one poller per attempt).
  dedupe_key   text UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE dead_at IS NULL;
