-- Issue 21.8 and 14: every request sent to a provider for a refund, each under its own number.
-- Alipay's out_request_no, WeChat Pay's out_refund_no and UnionPay's orderId (+ txnTime = sent_at) name one
-- request at the provider, and a provider answers the same number with the same final answer. So a refund the
-- provider failed for good is retried under a NEW number, and a UnionPay refund the gateway never received is
-- resent under a new orderId + txnTime. Every number sent is kept: a late notification, a query, a bill line
-- or the consistency checker finds its refund by any of them.
--   live       the request now in flight (at most one per refund: the unique index below)
--   succeeded  the provider refunded under this number
--   failed     the provider failed it for good (a staff retry sends a new one)
--   not_found  the provider's query showed it never arrived (UnionPay: superseded by a new orderId + txnTime)
CREATE TABLE refund_requests (
  id          bigserial PRIMARY KEY,
  refund_id   bigint NOT NULL REFERENCES refunds(id),
  request_no  text NOT NULL UNIQUE,
  sent_at     timestamptz NOT NULL,
  status      text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'succeeded', 'failed', 'not_found')),
  finished_at timestamptz
);
CREATE UNIQUE INDEX refund_requests_one_live_idx ON refund_requests (refund_id) WHERE status = 'live';
CREATE INDEX refund_requests_refund_idx ON refund_requests (refund_id, id);

-- Refunds already sent were sent under their own number.
INSERT INTO refund_requests (refund_id, request_no, sent_at, status, finished_at)
SELECT id, refund_no, sent_at,
       CASE status WHEN 'succeeded' THEN 'succeeded' WHEN 'failed' THEN 'failed' ELSE 'live' END,
       CASE WHEN status IN ('succeeded', 'failed') THEN updated_at END
  FROM refunds WHERE sent_at IS NOT NULL AND status IN ('processing', 'succeeded', 'failed');
