import type { ShopProduct } from '../../catalog/catalog.ts';
import { money } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import { productImage } from '../order-summary.tsx';
import type { Web } from '../web-context.ts';

/** The quantity box and "Add to cart" of one product; both the storefront and the product page show it. */
export function AddToCart({ web, product }: { web: Web; product: ShopProduct }) {
  if (product.stock <= 0) return <p class="muted">{web.m.shop.soldOut}</p>;
  return (
    <form method="post" action={web.href('/cart')} class="add" data-add={product.sku}>
      <CsrfField web={web} />
      <input type="hidden" name="sku" value={product.sku} />
      <label for={`qty-${product.sku}`}>{web.m.shop.quantityHeader}</label>
      <input
        id={`qty-${product.sku}`}
        type="number"
        name="quantity"
        min="1"
        max={String(Math.min(product.stock, 999))}
        value="1"
        inputmode="numeric"
      />
      <button type="submit">{web.m.shop.addToCart}</button>
    </form>
  );
}

/** The products as cards with picture, name, price and stock, each addable to the cart. */
export function StorefrontPage({ web, products, error }: { web: Web; products: ShopProduct[]; error?: string }) {
  return (
    <Layout web={web} title={web.m.shop.title}>
      <ErrorNotice text={error} />
      {web.user && web.user.role !== 'customer' ? <p class="notice info">{web.m.shop.customersOnly}</p> : null}
      <ul class="products">
        {products.map((p) => (
          <li class="product" data-sku={p.sku}>
            <a href={web.href(`/products/${p.sku}`)} tabindex={-1} aria-hidden="true">
              <img src={productImage(p.image)} alt="" width="240" height="180" />
            </a>
            <div class="body">
              <h2>
                <a href={web.href(`/products/${p.sku}`)}>{p.name}</a>
              </h2>
              <span class="price">{money(p.price, p.currency, web.lang)}</span>
              <span class="muted small">
                {p.stock > 0 ? web.t((m) => m.shop.inStock, { count: p.stock }) : web.m.shop.soldOut}
              </span>
              <AddToCart web={web} product={p} />
            </div>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** One product: its picture, description, price and stock. */
export function ProductPage({ web, product }: { web: Web; product: ShopProduct }) {
  return (
    <Layout web={web} title={product.name}>
      <div class="product-page" data-sku={product.sku}>
        <img src={productImage(product.image)} alt={product.name} width="480" height="360" />
        <div>
          <p class="price">{money(product.price, product.currency, web.lang)}</p>
          <p>{product.description}</p>
          <p class="muted">
            {product.stock > 0 ? web.t((m) => m.shop.inStock, { count: product.stock }) : web.m.shop.soldOut}
          </p>
          <AddToCart web={web} product={product} />
          <p>
            <a href={web.href('/')}>{web.m.result.backToShop}</a>
          </p>
        </div>
      </div>
    </Layout>
  );
}
