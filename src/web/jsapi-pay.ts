/**
 * The pay page's script for WeChat JSAPI (inside WeChat's browser): calls
 * `WeixinJSBridge.invoke('getBrandWCPayRequest', params, callback)` with the parameters mallpay signed, waiting
 * for `WeixinJSBridgeReady` when the bridge is not there yet, as WeChat's JSAPI guide does
 * (pay.weixin.qq.com/doc/v3/merchant/4012791857). The callback's `ok` is only the client's word: the page's
 * poller waits for the payment to be confirmed by WeChat Pay's notification or a query. Values come from data
 * attributes, so nothing from the server is interpolated into code.
 */
export const JSAPI_PAY_SCRIPT = `(function () {
  var box = document.getElementById('jsapi');
  var d = box.dataset;
  var button = document.getElementById('jsapi-pay');
  var note = document.getElementById('jsapi-note');
  var params = JSON.parse(d.params);
  function pay() {
    button.disabled = true;
    WeixinJSBridge.invoke('getBrandWCPayRequest', params, function (res) {
      var msg = res && res.err_msg;
      if (msg === 'get_brand_wcpay_request:ok') { note.textContent = d.msgOk; box.setAttribute('data-state', 'ok'); return; }
      button.disabled = false;
      note.textContent = msg === 'get_brand_wcpay_request:cancel' ? d.msgCancel : d.msgFail;
      box.setAttribute('data-state', msg === 'get_brand_wcpay_request:cancel' ? 'cancel' : 'fail');
    });
  }
  function ready() { note.textContent = ''; button.disabled = false; box.setAttribute('data-state', 'ready'); }
  button.addEventListener('click', pay);
  if (typeof WeixinJSBridge === 'undefined') {
    note.textContent = d.msgOutside;
    document.addEventListener('WeixinJSBridgeReady', ready, false);
  } else ready();
})();`;
