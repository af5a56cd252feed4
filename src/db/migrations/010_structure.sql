-- Issue 20/21 (structure): order statuses checked by the database, the remembered pre-refund status dropped
-- (where a refund leaves the order is derived from its money), and a short lease on the attempt a payment
-- request is working on, so concurrent requests for one order do not close and create attempts over each other.
ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('pending_payment', 'paid', 'closed', 'refund_pending', 'partially_refunded', 'refunded'));
ALTER TABLE orders DROP COLUMN status_before_refund;

-- Set under the order's row lock while one request closes the order's other attempts at their providers and
-- creates this one; another request for the order meanwhile answers 409 payment_in_progress.
ALTER TABLE payments ADD COLUMN busy_until timestamptz;

-- Units a customer holds in unpaid orders are summed per customer when an order is placed.
CREATE INDEX orders_user_pending_idx ON orders (user_id) WHERE status = 'pending_payment';
