// The card payment page (oscar/checkout/card_payment.html): Stripe's Payment Element, then Stripe's redirect.
(function () {
  var form = document.getElementById("card-payment-form");
  if (!form || typeof Stripe === "undefined") {
    return;
  }
  var errorBox = document.getElementById("card-payment-error");
  var returnUrl = form.dataset.returnUrl;
  var stripe = Stripe(JSON.parse(document.getElementById("stripe-publishable-key").textContent));
  var elements = stripe.elements({
    clientSecret: JSON.parse(document.getElementById("stripe-client-secret").textContent),
    locale: document.documentElement.lang || "vi"
  });
  elements.create("payment").mount("#payment-element");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    document.getElementById("card-pay").disabled = true;
    // 3-D Secure (requires_action) is handled by Stripe, which then sends the browser to returnUrl.
    stripe.confirmPayment({elements: elements, confirmParams: {return_url: returnUrl}}).then(function (result) {
      if (result.error && result.error.type === "validation_error") {
        errorBox.textContent = result.error.message;
        errorBox.hidden = false;
        document.getElementById("card-pay").disabled = false;
      } else if (result.error) {
        // A decline: the server asks Stripe what happened, gives the stock back and reopens the basket.
        window.location = returnUrl + "?payment_intent=" + encodeURIComponent(form.dataset.intent);
      }
    });
  });
})();
