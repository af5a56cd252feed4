import type { Product } from '../../catalog/catalog.repository.ts';
import { money } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import type { Web } from '../web-context.ts';

/** Products with price and stock; a customer chooses quantities and places one order. */
export function StorefrontPage({
  web,
  products,
  error,
  orderKey,
}: {
  web: Web;
  products: Product[];
  error?: string;
  orderKey: string;
}) {
  const canBuy = web.user?.role === 'customer';
  return (
    <Layout web={web} title={web.m.shop.title}>
      <ErrorNotice text={error} />
      {!web.user ? (
        <p class="notice info">
          <a href={web.href('/login?next=/')}>{web.m.nav.login}</a> · {web.m.shop.loginToBuy}
        </p>
      ) : !canBuy ? (
        <p class="notice info">{web.m.shop.customersOnly}</p>
      ) : null}
      <form method="post" action={web.href('/orders')}>
        <CsrfField web={web} />
        {/* One key per rendering of the form: a double click or a resubmit places the order once. */}
        <input type="hidden" name="orderKey" value={orderKey} />
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{web.m.shop.product}</th>
              <th scope="col" class="num">
                {web.m.shop.price}
              </th>
              <th scope="col" class="num">
                {web.m.shop.stock}
              </th>
              {canBuy ? <th scope="col">{web.m.shop.quantityHeader}</th> : null}
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr data-sku={p.sku}>
                <td>{p.name}</td>
                <td class="num" data-label={web.m.shop.price}>
                  {money(p.price, p.currency, web.lang)}
                </td>
                <td class="num" data-label={web.m.shop.stock}>
                  {p.stock}
                </td>
                {canBuy ? (
                  <td data-label={web.m.shop.quantityHeader}>
                    <label for={`qty-${p.sku}`} class="sr-only">
                      {web.t((m) => m.shop.quantity, { name: p.name })}
                    </label>
                    <input
                      id={`qty-${p.sku}`}
                      type="number"
                      name={`qty.${p.sku}`}
                      min="0"
                      max={String(Math.min(p.stock, 999))}
                      value="0"
                      inputmode="numeric"
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {canBuy ? <button type="submit">{web.m.shop.placeOrder}</button> : null}
      </form>
    </Layout>
  );
}
