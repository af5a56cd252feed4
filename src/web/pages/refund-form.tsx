import { toYuanString } from '../../lib/money.ts';
import type { OrderRow } from '../../orders/order.ts';
import { money } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import { OrderSummary } from '../order-summary.tsx';
import type { OrderSummaryData } from '../shop.service.ts';
import type { Web } from '../web-context.ts';

interface RefundFormProps {
  web: Web;
  order: OrderRow;
  summary: OrderSummaryData;
  held: number;
  refundable: number;
  formKey: string;
  error?: string;
  reasonError?: string;
  amountError?: string;
  reason?: string;
  amount?: string;
}

const FieldError = ({ id, text }: { id: string; text: string | undefined }) =>
  text ? (
    <p class="field-error" id={id}>
      {text}
    </p>
  ) : null;

/** What was bought, what is refundable and why; the amount defaults to all of it. Errors sit by their field. */
export function RefundFormPage(props: RefundFormProps) {
  const { web, order, summary, held, refundable, formKey, error, reasonError, amountError, reason, amount } = props;
  const fmt = (n: number) => money(n, order.currency, web.lang);
  return (
    <Layout web={web} title={web.m.refundForm.title}>
      <ErrorNotice text={error} />
      <OrderSummary web={web} summary={summary} />
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
          <textarea
            id="reason"
            name="reason"
            required
            maxlength={500}
            aria-invalid={reasonError ? 'true' : undefined}
            aria-describedby={reasonError ? 'reason-error' : undefined}
          >
            {reason ?? ''}
          </textarea>
          <FieldError id="reason-error" text={reasonError} />
          <label for="amount">{web.t((m) => m.refundForm.amount, { currency: order.currency })}</label>
          <input
            id="amount"
            name="amount"
            inputmode="decimal"
            required
            pattern="\d{1,12}([.,]\d{1,2})?"
            value={amount ?? toYuanString(refundable)}
            aria-invalid={amountError ? 'true' : undefined}
            aria-describedby={amountError ? 'amount-error amount-hint' : 'amount-hint'}
          />
          <FieldError id="amount-error" text={amountError} />
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
