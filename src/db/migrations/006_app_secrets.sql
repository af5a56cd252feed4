-- Secrets mallpay makes for itself on first start and shares between instances (e.g. the anti-forgery key).
CREATE TABLE app_secrets (
  name       text PRIMARY KEY,
  secret     bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
