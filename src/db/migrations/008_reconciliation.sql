-- Reconciliation against each provider's daily bill, and what the consistency checker finds.
-- One run row per provider and Beijing bill date, updated by every later run of the same day.
CREATE TABLE reconciliation_runs (
  provider        text NOT NULL,
  bill_date       text NOT NULL CHECK (bill_date ~ '^\d{4}-\d{2}-\d{2}$'),
  status          text NOT NULL CHECK (status IN ('done', 'not_ready')),
  bill_lines      integer NOT NULL DEFAULT 0,
  differences     integer NOT NULL DEFAULT 0,
  new_differences integer NOT NULL DEFAULT 0,
  runs            integer NOT NULL DEFAULT 1,
  first_run_at    timestamptz NOT NULL,
  last_run_at     timestamptz NOT NULL,
  PRIMARY KEY (provider, bill_date)
);

-- Every difference once: `key` names what differs (source, provider, date, kind, numbers), so a second run
-- of the same day finds the same keys and adds nothing.
CREATE TABLE reconciliation_differences (
  id              bigserial PRIMARY KEY,
  key             text NOT NULL UNIQUE,
  source          text NOT NULL CHECK (source IN ('bill', 'checker')),
  provider        text,
  bill_date       text,
  kind            text NOT NULL,
  payment_no      text,
  refund_no       text,
  order_no        text,
  provider_amount bigint,
  our_amount      bigint,
  status          text NOT NULL CHECK (status IN ('open', 'resolved', 'flagged')),
  remedy          text,
  detail          text,
  found_at        timestamptz NOT NULL,
  resolved_at     timestamptz
);
CREATE INDEX reconciliation_differences_status_idx ON reconciliation_differences (status, id);
CREATE INDEX reconciliation_differences_date_idx ON reconciliation_differences (bill_date, provider);
