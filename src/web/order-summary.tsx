import { money } from './format.ts';
import type { OrderSummaryData } from './shop.service.ts';
import type { Web } from './web-context.ts';

export const productImage = (image: string | undefined) => `/static/products/${image ?? 'bookmark.svg'}`;

/**
 * What is being paid for or refunded, on every page that asks for or reports money: the items with picture,
 * quantity and price, the total, and, in small type, the order number and the merchant.
 */
export function OrderSummary({ web, summary }: { web: Web; summary: OrderSummaryData }) {
  const fmt = (n: number) => money(n, summary.currency, web.lang);
  return (
    <section class="summary" aria-label={web.m.summary.label} data-order={summary.orderNo}>
      <ul>
        {summary.lines.map((l) => (
          <li data-sku={l.sku}>
            <img src={productImage(l.image)} alt="" width="56" height="42" />
            <span>
              <span class="item-name">{l.name}</span>
              <br />
              <span class="muted small">
                {web.t((m) => m.summary.line, { quantity: l.quantity, price: fmt(l.unitPrice) })}
              </span>
            </span>
            <span>{fmt(l.unitPrice * l.quantity)}</span>
          </li>
        ))}
      </ul>
      <p class="total">
        <span>{web.m.summary.total}</span>
        <span class="summary-total">{fmt(summary.total)}</span>
      </p>
      <p class="meta">{web.t((m) => m.summary.meta, { orderNo: summary.orderNo, merchant: web.m.brand })}</p>
    </section>
  );
}

/** Time left to pay, counting down in the page; a warning appears under five minutes. */
export function Countdown({ web, secondsLeft, id }: { web: Web; secondsLeft: number; id?: string }) {
  const text = `${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, '0')}`;
  return (
    <>
      <p>
        {web.m.pay.timeLeft}:{' '}
        <strong
          id={id ?? 'countdown'}
          class={secondsLeft < 300 ? 'countdown low' : 'countdown'}
          data-countdown=""
          data-seconds-left={String(secondsLeft)}
          data-warn="countdown-warning"
        >
          {text}
        </strong>
      </p>
      <p id="countdown-warning" class="notice bad" role="alert" hidden={secondsLeft >= 300}>
        {web.m.pay.lowTime}
      </p>
    </>
  );
}
