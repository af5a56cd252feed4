import { toYuanString } from '../../lib/money.ts';
import type { OrderRow } from '../../orders/order.ts';
import { money } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import type { Web } from '../web-context.ts';

interface RefundFormProps {
  web: Web;
  order: OrderRow;
  held: number;
  refundable: number;
  formKey: string;
  error?: string;
  reason?: string;
  amount?: string;
}

/** What is refundable and why; the amount defaults to all of it. */
export function RefundFormPage({ web, order, held, refundable, formKey, error, reason, amount }: RefundFormProps) {
  const fmt = (n: number) => money(n, order.currency, web.lang);
  return (
    <Layout web={web} title={web.t((m) => m.refundForm.title, { orderNo: order.order_no })}>
      <ErrorNotice text={error} />
      <div class="card">
        <dl class="facts">
          <dt>{web.m.refundForm.paid}</dt>
          <dd>{fmt(order.paid_amount)}</dd>
          <dt>{web.m.refundForm.refunded}</dt>
          <dd>{fmt(order.refunded_amount)}</dd>
          <dt>{web.m.refundForm.held}</dt>
          <dd>{fmt(held)}</dd>
          <dt>{web.m.refundForm.refundable}</dt>
          <dd>
            <strong id="refundable">{fmt(refundable)}</strong>
          </dd>
        </dl>
      </div>
      {refundable > 0 && (order.status === 'paid' || order.status === 'partially_refunded') ? (
        <form method="post" action={web.href(`/orders/${order.order_no}/refund`)} class="card">
          <CsrfField web={web} />
          <input type="hidden" name="formKey" value={formKey} />
          <label for="reason">{web.m.refundForm.reason}</label>
          <textarea id="reason" name="reason" required maxlength={500}>
            {reason ?? ''}
          </textarea>
          <label for="amount">{web.t((m) => m.refundForm.amount, { currency: order.currency })}</label>
          <input
            id="amount"
            name="amount"
            inputmode="decimal"
            required
            pattern="\d{1,12}([.,]\d{1,2})?"
            value={amount ?? toYuanString(refundable)}
            aria-describedby="amount-hint"
          />
          <p id="amount-hint" class="muted">
            {web.m.refundForm.amountHint}
          </p>
          <button type="submit">{web.m.refundForm.submit}</button>
        </form>
      ) : (
        <p class="notice info">{web.m.refundForm.nothing}</p>
      )}
    </Layout>
  );
}
