import type { CashierLang } from './cashier-lang.ts';

/**
 * What the three test cashiers say, in the shop's three languages. The wording stands in for the real cashiers'
 * (whose exact text is theirs); the SANDBOX banner is not theirs and says plainly that no money moves.
 */
const en = {
  banner: 'SANDBOX – test cashier, no real money moves',
  sandbox: 'SANDBOX',
  merchant: 'Merchant',
  orderNumber: 'Order number',
  amount: 'Amount',
  item: 'Item',
  status: 'Status',
  pay: 'Pay',
  fail: 'Fail',
  backToShop: 'Back to the shop',
  notFound: 'Not found',
  noSuchPayment: 'No such payment.',

  alipayTitle: 'Alipay test cashier',
  alipaySeller: '{app} (seller {seller})',
  alipayCannotPay: 'This payment cannot be made',
  alipayNotPossible: 'Payment not possible',
  alipayNoLongerPayable: 'This payment can no longer be made ({status}).',
  alipayPaid: 'Paid',
  alipayPaidText: 'Payment succeeded.',
  alipayFailedNote: 'The payment failed (simulated). Nothing was charged; you may try again.',

  wechatTitle: 'WeChat Pay (sandbox)',
  wechatPayAmount: 'Pay {amount}',
  wechatFail: 'Fail the payment',
  wechatNothingToPay: 'This order is {state}; nothing to pay.',
  wechatUnknownLink: 'Unknown or expired payment link',
  wechatLinkExpired: 'Link expired',
  wechatLinkExpiredHeading: 'This payment link has expired',
  wechatLinkExpiredText: 'Go back to the shop and pay again: it will give you a new link.',
  wechatNotPaid: 'Not paid',
  wechatRefused: 'Payment refused',
  wechatPaid: 'Paid',
  wechatPaidText: 'Order {orderNo}: {amount}. You can close this page.',
  wechatFailed: 'Payment failed',
  wechatFailedText: 'Order {orderNo} was not paid. No notification is sent.',
  wechatStates: {
    NOTPAY: 'not paid',
    SUCCESS: 'paid',
    REFUND: 'refunded',
    CLOSED: 'closed',
    PAYERROR: 'payment failed',
  } as Record<string, string>,

  unionpayTitle: 'UnionPay online payment',
  unionpayPayBy: 'Pay by',
  unionpayAlreadySettled: 'Already settled',
  unionpaySettledText: 'This payment is {status}.',
  unionpayStates: { paid: 'paid', failed: 'failed' } as Record<string, string>,
  unionpayRefused: 'Transaction refused',
  unionpaySucceeded: 'Payment succeeded',
  unionpayFailed: 'Payment failed',
  unionpayReturning: 'Returning to the merchant…',
  unionpayCanReturn: 'You can return to the merchant.',
  unionpayReturnButton: 'Return to merchant',
};

export type CashierText = typeof en;

const ja: CashierText = {
  banner: 'サンドボックス – テスト用のレジです。実際のお金は動きません',
  sandbox: 'サンドボックス',
  merchant: '加盟店',
  orderNumber: '注文番号',
  amount: '金額',
  item: '商品',
  status: '状態',
  pay: '支払う',
  fail: '失敗させる',
  backToShop: 'ショップに戻る',
  notFound: '見つかりません',
  noSuchPayment: 'この支払いは見つかりません。',

  alipayTitle: 'Alipay（支付宝）テスト用レジ',
  alipaySeller: '{app}（販売者 {seller}）',
  alipayCannotPay: 'この支払いはできません',
  alipayNotPossible: 'お支払いできません',
  alipayNoLongerPayable: 'この支払いはもうできません（{status}）。',
  alipayPaid: '支払い済み',
  alipayPaidText: 'お支払いが完了しました。',
  alipayFailedNote: 'お支払いに失敗しました（テスト）。請求はされていません。もう一度お試しいただけます。',

  wechatTitle: 'WeChat Pay（サンドボックス）',
  wechatPayAmount: '{amount} を支払う',
  wechatFail: '支払いを失敗させる',
  wechatNothingToPay: 'この注文は「{state}」です。お支払いは不要です。',
  wechatUnknownLink: '支払いリンクが無効か、期限切れです',
  wechatLinkExpired: 'リンクの期限切れ',
  wechatLinkExpiredHeading: 'この支払いリンクは期限切れです',
  wechatLinkExpiredText: 'ショップに戻ってもう一度お支払いください。新しいリンクが表示されます。',
  wechatNotPaid: '未払い',
  wechatRefused: 'お支払いが拒否されました',
  wechatPaid: '支払い済み',
  wechatPaidText: '注文 {orderNo}：{amount}。このページは閉じてかまいません。',
  wechatFailed: 'お支払いに失敗しました',
  wechatFailedText: '注文 {orderNo} は支払われていません。通知は送られません。',
  wechatStates: {
    NOTPAY: '未払い',
    SUCCESS: '支払い済み',
    REFUND: '返金あり',
    CLOSED: '終了',
    PAYERROR: '支払い失敗',
  },

  unionpayTitle: '銀聯（UnionPay）オンライン決済',
  unionpayPayBy: '支払期限',
  unionpayAlreadySettled: '処理済み',
  unionpaySettledText: 'この支払いは{status}です。',
  unionpayStates: { paid: '支払い済み', failed: '失敗' },
  unionpayRefused: '取引が拒否されました',
  unionpaySucceeded: 'お支払いが完了しました',
  unionpayFailed: 'お支払いに失敗しました',
  unionpayReturning: '加盟店に戻っています…',
  unionpayCanReturn: '加盟店に戻ることができます。',
  unionpayReturnButton: '加盟店に戻る',
};

const zhCN: CashierText = {
  banner: '沙箱（SANDBOX）– 测试收银台，不会产生真实扣款',
  sandbox: '沙箱',
  merchant: '商户',
  orderNumber: '订单号',
  amount: '金额',
  item: '商品',
  status: '状态',
  pay: '付款',
  fail: '模拟失败',
  backToShop: '返回商家',
  notFound: '未找到',
  noSuchPayment: '找不到这笔付款。',

  alipayTitle: '支付宝测试收银台',
  alipaySeller: '{app}（卖家 {seller}）',
  alipayCannotPay: '无法完成这笔付款',
  alipayNotPossible: '无法付款',
  alipayNoLongerPayable: '这笔付款已无法进行（{status}）。',
  alipayPaid: '已付款',
  alipayPaidText: '付款成功。',
  alipayFailedNote: '付款失败（模拟）。未扣款，可以重新付款。',

  wechatTitle: '微信支付（沙箱）',
  wechatPayAmount: '支付 {amount}',
  wechatFail: '模拟支付失败',
  wechatNothingToPay: '此订单{state}，无需支付。',
  wechatUnknownLink: '支付链接无效或已过期',
  wechatLinkExpired: '链接已过期',
  wechatLinkExpiredHeading: '支付链接已过期',
  wechatLinkExpiredText: '请返回商家重新支付，商家会提供新的链接。',
  wechatNotPaid: '未支付',
  wechatRefused: '支付被拒绝',
  wechatPaid: '已支付',
  wechatPaidText: '订单 {orderNo}：{amount}。可以关闭此页面。',
  wechatFailed: '支付失败',
  wechatFailedText: '订单 {orderNo} 未支付，不会发送通知。',
  wechatStates: {
    NOTPAY: '未支付',
    SUCCESS: '已支付',
    REFUND: '已转入退款',
    CLOSED: '已关闭',
    PAYERROR: '支付失败',
  },

  unionpayTitle: '银联在线支付',
  unionpayPayBy: '支付截止时间',
  unionpayAlreadySettled: '已处理',
  unionpaySettledText: '这笔付款{status}。',
  unionpayStates: { paid: '已支付', failed: '已失败' },
  unionpayRefused: '交易被拒绝',
  unionpaySucceeded: '支付成功',
  unionpayFailed: '支付失败',
  unionpayReturning: '正在返回商户…',
  unionpayCanReturn: '可以返回商户。',
  unionpayReturnButton: '返回商户',
};

const TEXTS: Record<CashierLang, CashierText> = { en, ja, 'zh-CN': zhCN };

export interface CashierWords {
  lang: CashierLang;
  /** One message, with `{name}` filled from `vars` (values are inserted as given: escape them for HTML first). */
  t: (pick: (m: CashierText) => string, vars?: Record<string, string>) => string;
  /** A wire status in words, or the status itself when the table has no word for it. */
  state: (pick: (m: CashierText) => Record<string, string>, status: string) => string;
}

export function cashierWords(lang: CashierLang): CashierWords {
  const m = TEXTS[lang];
  return {
    lang,
    t: (pick, vars = {}) =>
      pick(m).replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(vars, key) ? vars[key]! : whole)),
    state: (pick, status) => {
      const words = pick(m);
      return Object.hasOwn(words, status) ? words[status]! : status;
    },
  };
}
