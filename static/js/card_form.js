/* Paying a pledge by card with Stripe.js. The card is typed into Stripe's field and sent to Stripe
   only: our server gets a SetupIntent id (a saved card) and, after the bank's confirmation
   (3-D Secure), a PaymentIntent id. Nothing here runs without Stripe.js; the page's other forms work
   without any script. */
(function () {
  "use strict";

  function show(box, text) {
    box.textContent = text;
    box.hidden = false;
  }

  function csrf(form) {
    var body = new URLSearchParams(), token = form.querySelector("[name=csrf_token]");
    if (token) { body.append("csrf_token", token.value); }
    return body;
  }

  function newCard(form) {
    var stripe = window.Stripe(form.dataset.stripeKey);
    var card = stripe.elements().create("card");
    var errors = document.getElementById("card-errors");
    var button = document.getElementById("new-card-button");
    card.mount("#card-element");
    button.disabled = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      errors.hidden = true;
      fetch(form.dataset.setupUrl, {method: "POST", body: csrf(form), credentials: "same-origin",
                                    headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (setup) {
          if (setup.error) { throw new Error(setup.error); }
          return stripe.confirmCardSetup(setup.client_secret, {payment_method: {card: card}});
        })
        .then(function (result) {
          if (result.error) {
            show(errors, form.dataset.failed + " " + (result.error.message || ""));
            button.disabled = false;
            return;
          }
          form.querySelector("[name=setup_intent]").value = result.setupIntent.id;
          form.submit();
        })
        .catch(function (problem) {
          show(errors, (problem && problem.message) || form.dataset.unreachable);
          button.disabled = false;
        });
    });
  }

  function bankConfirmation(form) {
    var stripe = window.Stripe(form.dataset.stripeKey);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      document.getElementById("confirm-button").disabled = true;
      var method = form.dataset.paymentMethod;
      stripe.confirmCardPayment(form.dataset.clientSecret, method ? {payment_method: method} : undefined)
        .then(function () { form.submit(); }, function () { form.submit(); });  // the server reads the outcome
    });
  }

  if (typeof window.Stripe !== "function") { return; }
  var newCardForm = document.getElementById("new-card-form");
  if (newCardForm) { newCard(newCardForm); }
  var confirmForm = document.getElementById("confirm-form");
  if (confirmForm) { bankConfirmation(confirmForm); }
})();
