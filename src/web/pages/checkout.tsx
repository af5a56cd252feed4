import { own } from '../../lib/own.ts';
import type { OrderRow } from '../../orders/order.ts';
import { money, time } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import type { Web } from '../web-context.ts';

export interface MethodChoice {
  method: string;
  channels: readonly string[];
}

/** The enabled methods, each with its channels as buttons: one click creates the attempt. */
export function CheckoutPage({
  web,
  order,
  methods,
  error,
}: {
  web: Web;
  order: OrderRow;
  methods: MethodChoice[];
  error?: string;
}) {
  const payable = order.status === 'pending_payment';
  return (
    <Layout web={web} title={web.t((m) => m.checkout.title, { orderNo: order.order_no })}>
      <ErrorNotice text={error} />
      <div class="card">
        <dl class="facts">
          <dt>{web.m.checkout.total}</dt>
          <dd class="amount">{money(order.amount, order.currency, web.lang)}</dd>
        </dl>
        {payable ? <p>{web.t((m) => m.checkout.payBy, { time: time(order.expires_at, web.lang) })}</p> : null}
      </div>
      {payable ? (
        <>
          <h2>{web.m.checkout.choose}</h2>
          <div class="methods">
            {methods.map((choice) => (
              <form method="post" action={web.href(`/checkout/${order.order_no}`)} data-method={choice.method}>
                <CsrfField web={web} />
                <input type="hidden" name="method" value={choice.method} />
                <fieldset>
                  <legend>{web.method(choice.method)}</legend>
                  {choice.channels.map((channel) => (
                    <button type="submit" name="channel" value={channel} class="secondary">
                      {own(web.m.checkout.channels, channel) ?? channel}
                    </button>
                  ))}
                </fieldset>
              </form>
            ))}
          </div>
        </>
      ) : (
        <p class="notice info">
          {web.t((m) => m.checkout.notPayable, { status: web.status(order.status) })}{' '}
          <a href={web.href(`/orders/${order.order_no}/result`)}>{web.m.result.seeOrders}</a>
        </p>
      )}
    </Layout>
  );
}
