import { raw } from 'hono/html';
import type { PaymentWithOrder } from '../../payments/payments.repository.ts';
import { Layout } from '../layout.tsx';
import { Countdown, OrderSummary } from '../order-summary.tsx';
import { JSAPI_PAY_SCRIPT } from '../jsapi-pay.ts';
import { PAY_POLL_SCRIPT } from '../pay-poll.ts';
import type { OrderSummaryData } from '../shop.service.ts';
import type { Web } from '../web-context.ts';

interface PayProps {
  web: Web;
  payment: PaymentWithOrder;
  summary: OrderSummaryData;
  /** The QR code as SVG, drawn from action.content. */
  qrSvg?: string;
  secondsLeft: number;
  pollIntervalMs: number;
}

/** What is being paid for, what the provider asked for (QR, redirect or its form), the time left and the live status. */
export function PayPage({ web, payment, summary, qrSvg, secondsLeft, pollIntervalMs }: PayProps) {
  const method = web.method(payment.method);
  const action = payment.action;
  return (
    <Layout web={web} title={web.t((m) => m.pay.title, { method })} progress="pay">
      <OrderSummary web={web} summary={summary} />
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
          </figure>
        ) : action?.type === 'redirect' ? (
          <p>
            <a class={`button wallet ${payment.method}`} href={action.url}>
              {web.t((m) => m.pay.redirect, { method })}
            </a>
          </p>
        ) : action?.type === 'jsapi' ? (
          <div
            id="jsapi"
            data-params={JSON.stringify(action.params)}
            data-msg-ok={web.m.pay.jsapiOk}
            data-msg-cancel={web.m.pay.jsapiCancel}
            data-msg-fail={web.m.pay.jsapiFail}
            data-msg-outside={web.m.pay.jsapiOutside}
          >
            <p>
              <button id="jsapi-pay" type="button" class={`wallet ${payment.method}`} disabled>
                {web.t((m) => m.pay.jsapi, { method })}
              </button>
            </p>
            <p id="jsapi-note" role="status" aria-live="polite"></p>
            <script>{raw(JSAPI_PAY_SCRIPT)}</script>
          </div>
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
        data-poll-ms={String(pollIntervalMs)}
        data-msg-done={web.m.pay.done}
        data-msg-stopped={web.m.pay.stopped}
        data-msg-switched={web.m.pay.switched}
      >
        <h2 id="live-heading">{web.m.pay.status}</h2>
        <p id="live-status" role="status" aria-live="polite">
          {web.m.pay.waiting}
        </p>
        <Countdown web={web} secondsLeft={secondsLeft} />
      </section>
      <p>
        <a href={web.href(`/checkout/${payment.order_no}`)}>{web.m.pay.chooseOther}</a>
      </p>
      <script>{raw(PAY_POLL_SCRIPT)}</script>
    </Layout>
  );
}
