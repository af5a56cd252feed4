/**
 * One small stylesheet, inline so a page is one request. Colours keep at least 4.5:1 contrast; focus is
 * always visible; tables become stacked cards on narrow screens.
 */
export const STYLES = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","PingFang SC","Noto Sans CJK SC",sans-serif;color:#1b1b1b;background:#f6f6f4;overflow-wrap:anywhere}
a{color:#0b57d0}
img,svg{max-width:100%}
header{background:#1f3a5f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
header a{color:#fff}
header .brand{font-weight:700;font-size:1.15rem;text-decoration:none;margin-right:auto;display:flex;align-items:center;gap:.4rem}
header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
header form{display:inline}
header button{background:transparent;color:#fff;border:1px solid #fff;padding:.2rem .6rem;font-size:.9rem;border-radius:.3rem;margin:0}
.badge{display:inline-block;min-width:1.4em;padding:0 .35em;border-radius:1em;background:#f0a000;color:#1b1b1b;font-size:.8rem;font-weight:700;text-align:center;margin-left:.25rem}
.who{font-size:.85rem;opacity:.9}
.langs{display:flex;gap:.5rem;font-size:.9rem}
.langs [aria-current]{font-weight:700;text-decoration:none}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.25rem 0 .5rem}
.card{background:#fff;border:1px solid #d6d6d0;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e2e2dc;vertical-align:top}
td.num,th.num{text-align:right}
input,textarea,select{font:inherit;padding:.45rem;border:1px solid #767676;border-radius:.3rem;max-width:100%}
input[type=number]{width:5.5rem}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a4262c;border-width:2px}
.field-error{color:#8b1a1f;font-weight:600;margin:.25rem 0}
textarea{width:100%;min-height:4.5rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:.4rem;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none;margin:.25rem .5rem .25rem 0;max-width:100%}
button.secondary,.button.secondary{background:#fff;color:#0b57d0}
button.danger{background:#a4262c;border-color:#a4262c}
button.link{background:none;border:0;color:#0b57d0;text-decoration:underline;padding:0;font-weight:400}
:focus-visible{outline:3px solid #f0a000;outline-offset:2px}
.notice{padding:.75rem 1rem;border-radius:.4rem;margin:0 0 1rem;border:1px solid}
.notice.ok{background:#e7f4ea;border-color:#2e7d32;color:#1b4d20}
.notice.bad{background:#fdecea;border-color:#a4262c;color:#6b1116}
.notice.info{background:#e8f0fe;border-color:#0b57d0;color:#0b3a8c}
.muted{color:#555}
.small{font-size:.85rem}
.alerts{background:#fff4e5;border:2px solid #8a4b00;border-radius:.4rem;color:#3d2100;padding:.5rem 1rem;margin:0 0 1rem}
.alerts h2{margin:.25rem 0;font-size:1.05rem}
.alerts ul{margin:.25rem 0;padding-left:1.25rem}
.alerts a{color:#0b3a8c}
pre.raw{background:#fff;border:1px solid #d6d6d0;padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;max-height:24rem;overflow:auto}
.filters{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0 0 1rem}
.filters [aria-current]{font-weight:700;text-decoration:none}
.amount{font-size:1.8rem;font-weight:700}
.qr{background:#fff;display:inline-block;padding:.5rem;border:1px solid #d6d6d0;max-width:100%}
.qr svg{width:240px;height:240px;max-width:100%;display:block}
.methods{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(14rem,100%),1fr))}
.wallet{display:block;width:100%;margin:0;text-align:center;font-size:1.05rem;padding:.8rem 1rem}
.wallet.alipay{background:#1261d1;border-color:#1261d1}
.wallet.wechatpay{background:#067d38;border-color:#067d38}
.wallet.unionpay{background:#c8102e;border-color:#c8102e}
details.other{margin:1rem 0}
details.other summary{cursor:pointer;color:#0b57d0}
fieldset{border:1px solid #d6d6d0;border-radius:.5rem;background:#fff;padding:.75rem 1rem;min-width:0}
legend{font-weight:700;padding:0 .25rem}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{border-left:4px solid #bbb;padding:.25rem 0 .75rem .75rem}
ol.timeline li.done{border-color:#2e7d32}
ol.timeline li.bad{border-color:#a4262c}
dl.facts{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.products{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(min(15rem,100%),1fr));padding:0;list-style:none;margin:0}
.product{background:#fff;border:1px solid #d6d6d0;border-radius:.5rem;overflow:hidden;display:flex;flex-direction:column}
.product img,.product-page img{display:block;width:100%;height:auto;aspect-ratio:4/3;background:#eee}
.product .body{padding:.75rem 1rem;display:flex;flex-direction:column;gap:.35rem;flex:1}
.product h2{font-size:1.05rem;margin:0}
.product .price,.product-page .price{font-size:1.2rem;font-weight:700}
.add{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:auto}
.add label{margin:0;font-weight:400}
.add button{margin:0}
.product-page{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(18rem,100%),1fr))}
.summary{background:#fff;border:1px solid #d6d6d0;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.summary ul{list-style:none;padding:0;margin:0}
.summary li{display:grid;grid-template-columns:3.5rem minmax(0,1fr) auto;gap:.75rem;align-items:center;padding:.4rem 0;border-bottom:1px solid #eee}
.summary li img{width:3.5rem;height:auto;border-radius:.3rem}
.summary .total{display:flex;justify-content:space-between;font-weight:700;font-size:1.2rem;margin-top:.5rem}
.summary .meta{font-size:.8rem;color:#555;margin:.5rem 0 0}
ol.progress{display:flex;gap:.5rem;list-style:none;padding:0;margin:0 0 1rem;font-size:.9rem;flex-wrap:wrap}
ol.progress li{color:#555}
ol.progress li+li::before{content:"→ ";color:#767676}
ol.progress li[aria-current]{color:#1b1b1b;font-weight:700}
.countdown.low{color:#8b1a1f;font-weight:700}
.cart-line{display:grid;grid-template-columns:4rem minmax(0,1fr);gap:.75rem;padding:.5rem 0;border-bottom:1px solid #eee}
.cart-line img{width:4rem;height:auto;border-radius:.3rem}
.notices{list-style:none;padding:0;margin:0}
.notices li{background:#fff;border:1px solid #d6d6d0;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 .75rem}
.notices li.unread{border-left:5px solid #0b57d0}
@media (max-width:40rem){
  header{padding:.4rem .75rem}
  header .brand{font-size:1rem}
  header nav{gap:.2rem .75rem;font-size:.95rem}
  .who{display:none}
  main{padding:0 .75rem}
  h1{font-size:1.3rem}
  table.stack thead{position:absolute;left:-9999px}
  table.stack tr{display:block;border-bottom:2px solid #d6d6d0;padding:.25rem 0}
  table.stack td{display:block;border:0;padding:.2rem .5rem}
  table.stack td.num{text-align:left}
  table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
`;
