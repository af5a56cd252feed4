import type { Alert } from '../../alerts/alerts.ts';
import type { PaymentWithOrder } from '../../payments/payments.repository.ts';
import { money, time } from '../format.ts';
import { CsrfField, ErrorNotice, Layout } from '../layout.tsx';
import type { Web } from '../web-context.ts';

/** What became of a scanned code, in words for the cashier (never a code or minor units). */
function Outcome({ web, p }: { web: Web; p: PaymentWithOrder }) {
  const m = web.m.paymentCodePage;
  const amount = money(p.amount, p.currency, web.lang);
  const waitUntil = p.action?.type === 'payment_code' ? p.action.waitUntil : null;
  const [text, state] =
    p.status === 'succeeded'
      ? [web.t(() => m.paid, { amount }), 'paid']
      : p.status === 'pending'
        ? [web.t(() => m.waiting, { time: waitUntil ? time(waitUntil, web.lang) : '' }), 'waiting']
        : p.status === 'closed'
          ? [m.closed, 'closed']
          : p.failure_reason === 'cancelled_after_payment'
            ? [m.refunded, 'refunded']
            : [m.failed, 'failed'];
  return (
    <section class="card" data-payment={p.payment_no} data-state={state} aria-live="polite">
      <h2>{web.t(() => m.order, { orderNo: p.order_no, amount })}</h2>
      <p class={`notice ${state === 'paid' ? 'good' : state === 'waiting' ? '' : 'bad'}`} role="status">
        {text}
      </p>
      {state === 'waiting' ? (
        <a href={web.href(`/console/payment-code?paymentNo=${encodeURIComponent(p.payment_no)}`)}>{m.checkAgain}</a>
      ) : (
        <a href={web.href('/console/payment-code')}>{m.another}</a>
      )}
    </section>
  );
}

/** Face-to-face pay at the till: an order number and a field the barcode scanner types the buyer's code into. */
export function ConsolePaymentCodePage(props: {
  web: Web;
  alerts: Alert[];
  methods: string[];
  payment?: PaymentWithOrder | undefined;
  orderNo?: string;
  error?: string;
}) {
  const { web } = props;
  const m = web.m.paymentCodePage;
  return (
    <Layout web={web} title={m.title} alerts={props.alerts}>
      <ErrorNotice text={props.error} />
      {props.payment ? <Outcome web={web} p={props.payment} /> : null}
      <p class="muted">{m.intro}</p>
      <form method="post" action={web.href('/console/payment-code')} class="card">
        <CsrfField web={web} />
        <label>
          {m.orderNo}
          <input name="orderNo" required maxlength={32} autocomplete="off" value={props.orderNo ?? ''} />
        </label>
        {props.methods.length > 1 ? (
          <label>
            {m.method}
            <select name="method">
              {props.methods.map((method) => (
                <option value={method}>{web.method(method)}</option>
              ))}
            </select>
          </label>
        ) : (
          <input type="hidden" name="method" value={props.methods[0] ?? ''} />
        )}
        <label>
          {m.code}
          <input
            name="authCode"
            required
            maxlength={64}
            inputmode="numeric"
            autocomplete="off"
            autofocus={props.orderNo ? true : undefined}
          />
        </label>
        <button type="submit">{m.submit}</button>
      </form>
    </Layout>
  );
}
