"""A Stripe API client over ``requests``: PaymentIntents, refunds and card payment methods.

It speaks Stripe's HTTP API directly: form-encoded bodies with bracketed keys
(``metadata[pledge_id]=7``, ``payment_method_types[]=card``), Bearer auth, and an
``Idempotency-Key`` on every POST. Methods return Stripe's JSON objects as dicts and raise the
errors of :mod:`courtyard.payments.errors`.

Retries follow Stripe's own SDKs, which is safe because every POST carries an idempotency key and
every retry of one call reuses it (Stripe replays the first result instead of acting twice):

* network errors (refused connection, timeout, dropped connection) are retried;
* ``409 Conflict`` (the same key still in flight) and ``5xx`` answers are retried;
* a ``Stripe-Should-Retry`` header, when present, decides (``429`` is retried only when it says
  ``true``);
* nothing else is retried: never a card decline (402) or any other 4xx.

After ``max_network_retries`` retries the last failure is raised; transport trouble becomes
:class:`PaymentServiceUnavailable`.

In a web request the client is made with no retries, a :class:`~courtyard.payments.budget.TimeBudget`
that sets every call's timeouts, a gated :class:`~courtyard.payments.breaker.CircuitBreaker` that
refuses calls (:class:`PaymentServicePaused`) while the server is known to be down, and the host's
:class:`~courtyard.payments.slots.HostSlots`, which keep most workers free while it hangs; see
:mod:`courtyard.services.payments.payment_guard`.

Pass your own ``idempotency_key`` derived from what the call is for (see :func:`idempotency_key`),
so that a retry after a crash can never authorise or refund twice. Stripe keeps keys for 24 hours
and rejects a key reused with different parameters.

``localstripe_compat=True`` adapts the calls to localstripe, which rejects some real parameters:
``description``, refund ``reason`` and ``cancellation_reason`` are left out, and confirming with a
payment method first sets it with an update (localstripe answers 500 to ``confirm`` with
``payment_method``).
"""

import contextlib
import logging
import random
import re
import time
import uuid

import requests

from courtyard.payments.errors import (CardDeclined, InvalidPaymentRequest, PaymentNotFound,
                                       PaymentServicePaused, PaymentServiceUnavailable)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.stripe.com"
DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
CAPTURE_METHODS = ("manual", "automatic")
OBJECT_ID = re.compile(r"^[A-Za-z0-9_]+$")
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout,
                  requests.exceptions.ChunkedEncodingError)

# Stripe's ready-made test PaymentMethods, by the card number they stand for. Real Stripe does not
# accept raw card numbers over the API unless the account is specially enabled, so in test mode
# these ids are the way to use a test card.
TEST_CARD_PAYMENT_METHODS = {
    "4242424242424242": "pm_card_visa",
    "4000000000000002": "pm_card_visa_chargeDeclined",
    "4000000000009995": "pm_card_visa_chargeDeclinedInsufficientFunds",
    "4000000000000341": "pm_card_chargeCustomerFail",
    "4000002760003184": "pm_card_authenticationRequired",
    "4000000000003220": "pm_card_threeDSecure2Required",
}


def idempotency_key(*parts):
    """A stable key from what a call is for, e.g. ``idempotency_key("pledge", 7, "authorise")``."""
    return "courtyard:" + ":".join(str(part) for part in parts)


def encode_form(params):
    """Flatten ``params`` into Stripe's form pairs; ``None`` values are left out."""
    pairs = []
    for key, value in params.items():
        _encode_value(str(key), value, pairs)
    return pairs


def latest_charge_id(intent):
    """The id of a PaymentIntent's latest charge (an id on Stripe, an object on localstripe)."""
    charge = intent.get("latest_charge")
    return charge.get("id") if isinstance(charge, dict) else charge


class StripeClient:
    """Calls Stripe's API; see the module docstring for retries and idempotency."""

    def __init__(self, api_key, base_url=DEFAULT_BASE_URL, *, timeout=DEFAULT_TIMEOUT,
                 max_network_retries=2, session=None, retry_backoff=0.5, max_retry_backoff=4.0,
                 api_version=None, localstripe_compat=False, budget=None, breaker=None, gated=False,
                 slots=None):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_network_retries = max_network_retries
        self.session = session or requests.Session()
        self.retry_backoff = retry_backoff
        self.max_retry_backoff = max_retry_backoff
        self.api_version = api_version
        self.localstripe_compat = localstripe_compat
        self.budget = budget  # a TimeBudget: every call's timeouts come from it (web requests)
        self.breaker = breaker  # a CircuitBreaker told of every failure and answer
        self.gated = gated  # the breaker, when open, refuses calls (web requests; jobs are never refused)
        self.slots = slots  # HostSlots: how many calls of this host may wait on the server at once

    # PaymentIntents ---------------------------------------------------------------------------

    def create_payment_intent(self, amount_fen, *, currency="cny", capture_method="manual",
                              metadata=None, description=None, payment_method=None,
                              confirm=False, idempotency_key=None):
        """Create a PaymentIntent; ``capture_method="manual"`` only authorises on confirmation."""
        _check_amount(amount_fen)
        if capture_method not in CAPTURE_METHODS:
            raise InvalidPaymentRequest(f"capture_method must be one of {CAPTURE_METHODS}.")
        params = {
            "amount": amount_fen,
            "currency": currency,
            "capture_method": capture_method,
            "payment_method_types": ["card"],
            "payment_method": payment_method,
            "metadata": _string_metadata(metadata),
            "confirm": True if confirm else None,
        }
        if not self.localstripe_compat:
            params["description"] = description
        return self._post("/v1/payment_intents", params, idempotency_key)

    def retrieve_payment_intent(self, intent_id):
        return self._get(f"/v1/payment_intents/{_object_id(intent_id)}")

    def confirm_payment_intent(self, intent_id, payment_method=None, *, idempotency_key=None):
        """Confirm: authorise (manual capture) or charge (automatic) the payment method."""
        path = f"/v1/payment_intents/{_object_id(intent_id)}"
        if payment_method and self.localstripe_compat:
            key = f"{idempotency_key}:payment-method" if idempotency_key else None
            self._post(path, {"payment_method": payment_method}, key)
            payment_method = None
        return self._post(f"{path}/confirm", {"payment_method": payment_method}, idempotency_key)

    def capture_payment_intent(self, intent_id, amount_to_capture=None, *, idempotency_key=None):
        """Capture an authorised intent, all of it or ``amount_to_capture`` fen."""
        if amount_to_capture is not None:
            _check_amount(amount_to_capture)
        return self._post(f"/v1/payment_intents/{_object_id(intent_id)}/capture",
                          {"amount_to_capture": amount_to_capture}, idempotency_key)

    def cancel_payment_intent(self, intent_id, *, cancellation_reason=None, idempotency_key=None):
        """Cancel an intent that is not yet captured, releasing any authorisation."""
        params = {} if self.localstripe_compat else {"cancellation_reason": cancellation_reason}
        path = f"/v1/payment_intents/{_object_id(intent_id)}/cancel"
        return self._post(path, params, idempotency_key)

    def list_payment_intents(self, *, limit=100, starting_after=None, created_gte=None):
        """One page of PaymentIntents (a Stripe list object).

        ``created_gte`` (Unix time) bounds the page on real Stripe; localstripe refuses it.
        """
        created = {"gte": created_gte} if created_gte is not None else None
        return self._get("/v1/payment_intents", {"limit": limit, "starting_after": starting_after,
                                                 "created": created})

    def iter_payment_intents(self, *, page_size=100, created_gte=None):
        """Every PaymentIntent, page after page."""
        starting_after = None
        while True:
            page = self.list_payment_intents(limit=page_size, starting_after=starting_after,
                                             created_gte=created_gte)
            yield from page["data"]
            if not page.get("has_more") or not page["data"]:
                return
            starting_after = page["data"][-1]["id"]

    def find_payment_intents(self, metadata, *, created_gte=None, page_size=100):
        """PaymentIntents whose metadata holds every item of ``metadata`` (list and filter).

        Listing is read-after-write consistent, unlike Stripe's search API, so an intent created
        just before a crash is found. Pass ``created_gte`` on real Stripe to bound the scan.
        """
        wanted = _string_metadata(metadata)
        intents = self.iter_payment_intents(page_size=page_size, created_gte=created_gte)
        return [intent for intent in intents
                if all((intent.get("metadata") or {}).get(k) == v for k, v in wanted.items())]

    def search_payment_intents(self, query, *, limit=100):
        """Stripe's search API, e.g. ``"metadata['pledge_id']:'7'"``. Real Stripe only (localstripe
        answers 404); results lag writes by up to a minute, so prefer :meth:`find_payment_intents`
        for crash recovery."""
        return self._get("/v1/payment_intents/search", {"query": query, "limit": limit})["data"]

    # Refunds ----------------------------------------------------------------------------------

    def create_refund(self, payment_intent, amount_fen=None, *, reason=None, metadata=None,
                      idempotency_key=None):
        """Refund a captured intent, all of it or ``amount_fen``."""
        if amount_fen is not None:
            _check_amount(amount_fen)
        params = {"payment_intent": payment_intent, "amount": amount_fen,
                  "metadata": _string_metadata(metadata)}
        if not self.localstripe_compat:
            params["reason"] = reason
        return self._post("/v1/refunds", params, idempotency_key)

    def list_refunds(self, payment_intent, *, limit=100):
        return self._get("/v1/refunds", {"payment_intent": payment_intent, "limit": limit})["data"]

    # Payment methods and events ---------------------------------------------------------------

    def create_card_payment_method(self, number, exp_month=12, exp_year=2034, cvc="123", *,
                                   idempotency_key=None):
        """Create a card PaymentMethod from a raw number (localstripe, or accounts allowed to)."""
        card = {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc}
        return self._post("/v1/payment_methods", {"type": "card", "card": card}, idempotency_key)

    def payment_method_for_test_card(self, number):
        """A PaymentMethod id for a Stripe test card number.

        On localstripe the card is created over the API (any test number works); on real Stripe the
        matching ready-made test id (``pm_card_visa`` …) is returned.
        """
        if self.localstripe_compat:
            return self.create_card_payment_method(number)["id"]
        try:
            return TEST_CARD_PAYMENT_METHODS[number]
        except KeyError:
            message = f"No Stripe test PaymentMethod for card {number}."
            raise InvalidPaymentRequest(message) from None

    def retrieve_event(self, event_id):
        return self._get(f"/v1/events/{_object_id(event_id)}")

    # Transport --------------------------------------------------------------------------------

    def _get(self, path, params=None):
        return self._request("GET", path, params)

    def _post(self, path, params, key=None):
        return self._request("POST", path, params, key or str(uuid.uuid4()))

    def _request(self, method, path, params=None, key=None):
        headers = {"Authorization": f"Bearer {self.api_key}", "User-Agent": "courtyard"}
        if self.api_version:
            headers["Stripe-Version"] = self.api_version
        pairs = encode_form(params or {})
        if method == "POST":
            headers["Idempotency-Key"] = key
            request = {"data": pairs}
        else:
            request = {"params": pairs}
        if self.breaker is not None and self.gated and not self.breaker.allow():
            raise PaymentServicePaused("The payment server failed repeatedly; it is not called for a short while.",
                                       code="breaker_open")
        for attempt in range(self.max_network_retries + 1):
            last_try = attempt == self.max_network_retries
            try:
                with self._slot():
                    timeout = self.budget.timeouts() if self.budget is not None else self.timeout
                    response = self.session.request(method, self.base_url + path, headers=headers,
                                                    timeout=timeout, **request)
            except NETWORK_ERRORS as exc:
                if last_try:
                    self._server_failed(exc)
                    raise PaymentServiceUnavailable(
                        f"Stripe could not be reached: {exc.__class__.__name__}") from exc
                log.warning("Stripe %s %s failed (%s); retrying", method, path, exc)
            else:
                if response.ok:
                    self._server_answered()
                    return _json_body(response)
                if last_try or not _should_retry(response):
                    if response.status_code >= 500:
                        self._server_failed(f"HTTP {response.status_code}")
                    else:
                        self._server_answered()
                    raise error_from_response(response)
                log.warning("Stripe %s %s answered %s; retrying", method, path,
                            response.status_code)
            self._pause(attempt)

    def _slot(self):
        if self.slots is None:
            return contextlib.nullcontext()
        return self.slots.held(self.budget.remaining() if self.budget is not None else None)

    def _server_answered(self):
        if self.breaker is not None:
            self.breaker.record_success()

    def _server_failed(self, error):
        if self.breaker is not None:
            self.breaker.record_failure(error)

    def _pause(self, attempt):
        delay = min(self.max_retry_backoff, self.retry_backoff * 2 ** attempt)
        time.sleep(delay * random.uniform(0.5, 1.0))


def error_from_response(response):
    """The :mod:`~courtyard.payments.errors` exception for a Stripe error response."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict):
        error = {}
    status = response.status_code
    fields = {"status": status, "type": error.get("type"),
              "request_id": response.headers.get("Request-Id"), "error": error}
    message = error.get("message") or f"Stripe answered HTTP {status}."
    if status == 402 or error.get("type") == "card_error":
        return CardDeclined(message, error.get("code"), error.get("decline_code"), **fields)
    if status in (409, 429) or status >= 500:
        return PaymentServiceUnavailable(message, code=error.get("code"), **fields)
    if status == 404:
        return PaymentNotFound(message, code=error.get("code"), **fields)
    return InvalidPaymentRequest(message, code=error.get("code"), **fields)


def _should_retry(response):
    advice = response.headers.get("Stripe-Should-Retry")
    if advice in ("true", "false"):
        return advice == "true"
    return response.status_code == 409 or response.status_code >= 500


def _json_body(response):
    try:
        return response.json()
    except ValueError:
        raise PaymentServiceUnavailable("Stripe answered with something that is not JSON.",
                                        status=response.status_code) from None


def _check_amount(amount_fen):
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise InvalidPaymentRequest(f"Amounts are positive integers of fen, not {amount_fen!r}.")


def _object_id(value):
    if not isinstance(value, str) or not OBJECT_ID.match(value):
        raise InvalidPaymentRequest(f"Not a Stripe object id: {value!r}.")
    return value


def _string_metadata(metadata):
    if metadata is None:
        return None
    return {str(key): str(value) for key, value in metadata.items()}


def _encode_value(key, value, pairs):
    if value is None:
        return
    if isinstance(value, dict):
        for sub_key, sub_value in value.items():
            _encode_value(f"{key}[{sub_key}]", sub_value, pairs)
    elif isinstance(value, (list, tuple)):
        if all(not isinstance(item, (dict, list, tuple)) for item in value):
            pairs.extend((f"{key}[]", _scalar(item)) for item in value if item is not None)
        else:
            for index, item in enumerate(value):
                _encode_value(f"{key}[{index}]", item, pairs)
    else:
        pairs.append((key, _scalar(value)))


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def client_from_config(config, **overrides):
    """A client from Flask-style config: ``STRIPE_SECRET_KEY``, ``STRIPE_API_BASE``,
    ``STRIPE_LOCALSTRIPE``, ``STRIPE_TIMEOUT`` and ``STRIPE_MAX_NETWORK_RETRIES``; ``overrides`` are
    passed on to :class:`StripeClient` (a web request's budget, breaker, no retries)."""
    timeout = config.get("STRIPE_TIMEOUT") or DEFAULT_TIMEOUT
    settings = dict(
        timeout=float(timeout) if isinstance(timeout, str) else timeout,
        max_network_retries=int(config.get("STRIPE_MAX_NETWORK_RETRIES", 2)),
        localstripe_compat=_truthy(config.get("STRIPE_LOCALSTRIPE", False)),
    )
    settings.update(overrides)
    return StripeClient(config["STRIPE_SECRET_KEY"], config.get("STRIPE_API_BASE") or DEFAULT_BASE_URL, **settings)


def _truthy(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
