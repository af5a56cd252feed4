import { own } from '../../lib/own.ts';
import type { OrderRow } from '../../orders/order.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import { Countdown, OrderSummary } from '../order-summary.tsx';
import type { OrderSummaryData } from '../shop.service.ts';
import { pageChannels, pickChannel, type Device } from '../pick-channel.ts';
import type { Web } from '../web-context.ts';
import { OrderStatusText } from './status-words.tsx';

export interface MethodChoice {
  method: string;
  channels: readonly string[];
}

/** The channel a wallet's one button uses on this device (pick-channel.ts); the rest fold under "other ways". */
const preferredChannel = (choice: MethodChoice, device: Device): string | undefined =>
  pickChannel(choice.channels, device);

/** What is being bought, the time left, and one button per wallet (other channels folded away). */
export function CheckoutPage({
  web,
  order,
  summary,
  methods: offered,
  device,
  secondsLeft,
  error,
}: {
  web: Web;
  order: OrderRow;
  summary: OrderSummaryData;
  methods: MethodChoice[];
  device: Device;
  secondsLeft: number;
  error?: string;
}) {
  const payable = order.status === 'pending_payment';
  // Only what a page on this device can use: no mini-program or app channel, JSAPI only inside WeChat.
  const methods = offered
    .map((choice) => ({ ...choice, channels: pageChannels(choice.channels, device) }))
    .filter((choice) => choice.channels.length > 0);
  const others = methods.flatMap((choice) =>
    choice.channels.filter((c) => c !== preferredChannel(choice, device)).map((channel) => ({ ...choice, channel })),
  );
  return (
    <Layout web={web} title={web.m.checkout.title} progress="pay">
      <ErrorNotice text={error} />
      <OrderSummary web={web} summary={summary} />
      {payable ? (
        <>
          <Countdown web={web} secondsLeft={secondsLeft} />
          <h2>{web.m.checkout.choose}</h2>
          <div class="methods">
            {methods.map((choice) => (
              <form method="post" action={web.href(`/checkout/${order.order_no}`)} data-method={choice.method}>
                <CsrfField web={web} />
                <input type="hidden" name="method" value={choice.method} />
                <button
                  type="submit"
                  name="channel"
                  value={preferredChannel(choice, device)}
                  class={`wallet ${choice.method}`}
                  data-wallet={choice.method}
                >
                  {web.t((m) => m.checkout.payWith, { method: web.method(choice.method) })}
                </button>
              </form>
            ))}
          </div>
          {others.length > 0 ? (
            <details class="other">
              <summary>{web.m.checkout.otherWays}</summary>
              {others.map((o) => (
                <form method="post" action={web.href(`/checkout/${order.order_no}`)} data-method={o.method}>
                  <CsrfField web={web} />
                  <input type="hidden" name="method" value={o.method} />
                  <button type="submit" name="channel" value={o.channel} class="secondary">
                    {web.t((m) => own(m.checkout.channels, o.channel) ?? o.channel, { method: web.method(o.method) })}
                  </button>
                </form>
              ))}
            </details>
          ) : null}
        </>
      ) : (
        <p class="notice info">
          {web.m.checkout.notPayable} <OrderStatusText web={web} order={order} />.{' '}
          <a href={web.href(`/orders/${order.order_no}/result`)}>{web.m.result.seeOrders}</a>
        </p>
      )}
    </Layout>
  );
}
