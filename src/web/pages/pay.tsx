import { raw } from 'hono/html';
import type { PaymentWithOrder } from '../../payments/payments.repository.ts';
import { money } from '../format.ts';
import { Layout } from '../layout.tsx';
import { PAY_POLL_SCRIPT } from '../pay-poll.ts';
import type { Web } from '../web-context.ts';

interface PayProps {
  web: Web;
  payment: PaymentWithOrder;
  /** The QR code as SVG, drawn from action.content. */
  qrSvg?: string;
  secondsLeft: number;
  pollIntervalMs: number;
}

/** What the provider asked for (QR, redirect or its form), the amount, the time left and the live status. */
export function PayPage({ web, payment, qrSvg, secondsLeft, pollIntervalMs }: PayProps) {
  const method = web.method(payment.method);
  const action = payment.action;
  return (
    <Layout web={web} title={web.t((m) => m.pay.title, { amount: money(payment.amount, payment.currency, web.lang) })}>
      <div class="card">
        {action?.type === 'qr' ? (
          <figure style="margin:0">
            <div
              class="qr"
              role="img"
              aria-label={web.t((m) => m.pay.scan, { method })}
              data-qr-content={action.content}
            >
              {raw(qrSvg ?? '')}
            </div>
            <figcaption>{web.t((m) => m.pay.scan, { method })}</figcaption>
            <p>
              <a href={action.content} class="open-on-phone">
                {web.t((m) => m.pay.openOnPhone, { method })}
              </a>
            </p>
          </figure>
        ) : action?.type === 'redirect' ? (
          <p>
            <a class="button" href={action.url}>
              {web.t((m) => m.pay.redirect, { method })}
            </a>
          </p>
        ) : action?.type === 'form' ? (
          <>
            <p>{web.t((m) => m.pay.form, { method })}</p>
            {/* Made by our own adapter with every value escaped; it submits itself to the provider. */}
            {raw(action.html)}
          </>
        ) : null}
      </div>
      <section
        id="live"
        class="card"
        aria-labelledby="live-heading"
        data-status-url={`/api/payments/${payment.payment_no}`}
        data-result-url={web.href(`/orders/${payment.order_no}/result?paymentNo=${payment.payment_no}`)}
        data-seconds-left={String(secondsLeft)}
        data-poll-ms={String(pollIntervalMs)}
        data-msg-done={web.m.pay.done}
        data-msg-stopped={web.m.pay.stopped}
      >
        <h2 id="live-heading">{web.m.pay.status}</h2>
        <p id="live-status" role="status" aria-live="polite">
          {web.m.pay.waiting}
        </p>
        <p>
          {web.m.pay.timeLeft}:{' '}
          <strong id="countdown">{`${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, '0')}`}</strong>
        </p>
      </section>
      <p>
        <a href={web.href(`/checkout/${payment.order_no}`)}>{web.m.pay.chooseOther}</a>
      </p>
      <script>{raw(PAY_POLL_SCRIPT)}</script>
    </Layout>
  );
}
