-- Face-to-face (payment code) pay: when the buyer does not confirm in time mallpay cancels the trade at the
-- provider (alipay.trade.cancel), which gives back money paid meanwhile. From the moment mallpay decides to
-- cancel, no report of a payment may mark the attempt paid any more: the cancel returns that money itself.
ALTER TABLE payments ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
