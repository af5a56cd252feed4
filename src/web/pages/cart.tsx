import type { ShopProduct } from '../../catalog/catalog.ts';
import { money } from '../format.ts';
import { CsrfField, ErrorNotice, Layout } from '../layout.tsx';
import { productImage } from '../order-summary.tsx';
import type { Web } from '../web-context.ts';

export interface CartLine {
  product: ShopProduct;
  quantity: number;
  /** A refusal about this line (sold out, not enough left), next to its quantity. */
  error?: string;
}

/**
 * The cart: each line's quantity can be changed; "Place order" creates the order from what the boxes say
 * now. After a refusal the page comes back with the quantities as typed and the reason beside the line.
 */
export function CartPage({
  web,
  lines,
  error,
  orderKey,
}: {
  web: Web;
  lines: CartLine[];
  error?: string;
  orderKey: string;
}) {
  const currency = lines[0]?.product.currency ?? 'CNY';
  const total = lines.reduce((s, l) => s + l.product.price * l.quantity, 0);
  const canBuy = web.user?.role === 'customer';
  return (
    <Layout web={web} title={web.m.cart.title} progress="cart">
      <ErrorNotice text={error} />
      {lines.length === 0 ? (
        <p>
          {web.m.cart.empty} <a href={web.href('/')}>{web.m.result.backToShop}</a>
        </p>
      ) : (
        <form method="post" action={web.href('/orders')} class="card" id="cart-form">
          <CsrfField web={web} />
          {/* One key per rendering of the form: a double click or a resubmit places the order once. */}
          <input type="hidden" name="orderKey" value={orderKey} />
          {lines.map((l) => (
            <div class="cart-line" data-sku={l.product.sku}>
              <img src={productImage(l.product.image)} alt="" width="64" height="48" />
              <div>
                <a href={web.href(`/products/${l.product.sku}`)}>{l.product.name}</a>
                <div class="muted small">{money(l.product.price, l.product.currency, web.lang)}</div>
                <label for={`qty-${l.product.sku}`}>{web.t((m) => m.shop.quantity, { name: l.product.name })}</label>
                <input
                  id={`qty-${l.product.sku}`}
                  type="number"
                  name={`qty.${l.product.sku}`}
                  min="0"
                  max="999"
                  value={String(l.quantity)}
                  inputmode="numeric"
                  aria-invalid={l.error ? 'true' : undefined}
                  aria-describedby={l.error ? `err-${l.product.sku}` : undefined}
                />
                {l.error ? (
                  <p class="field-error" id={`err-${l.product.sku}`}>
                    {l.error}
                  </p>
                ) : null}
              </div>
            </div>
          ))}
          <p class="total" style="display:flex;justify-content:space-between;font-weight:700;font-size:1.2rem">
            <span>{web.m.summary.total}</span>
            <span id="cart-total">{money(total, currency, web.lang)}</span>
          </p>
          <button type="submit" name="action" value="update" class="secondary">
            {web.m.cart.update}
          </button>
          {canBuy ? (
            <button type="submit" name="action" value="order" id="place-order">
              {web.m.shop.placeOrder}
            </button>
          ) : !web.user ? (
            <p class="notice info">
              <a href={web.href('/login?next=/cart')}>{web.m.nav.login}</a> · {web.m.shop.loginToBuy}
            </p>
          ) : (
            <p class="notice info">{web.m.shop.customersOnly}</p>
          )}
        </form>
      )}
    </Layout>
  );
}
