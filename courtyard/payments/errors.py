"""Errors raised by the payments package.

Callers catch these, never ``requests`` exceptions: the client turns every transport problem and
every Stripe error response into one of the classes below, keeping Stripe's own message, code and
request id so they can be logged and shown.

    PaymentError                 anything that went wrong talking to Stripe
    ├── CardDeclined             the card was refused (HTTP 402, ``card_error``); never retried
    ├── InvalidPaymentRequest    any other 4xx: a bug on our side or a state conflict
    │   └── PaymentNotFound      404: no such object
    └── PaymentServiceUnavailable  network down, timeouts, 409/429/5xx left after the retries
        ├── PaymentServicePaused   the circuit breaker is open: the call was not made
        └── BudgetSpent            (:mod:`.budget`) the request's time is spent: the call was not made

    WebhookError                 a webhook we must refuse
    ├── WebhookSignatureError    missing, malformed, wrong or stale ``Stripe-Signature``
    └── InvalidWebhookPayload    signed, but not a Stripe event
"""


class PaymentError(Exception):
    """Talking to Stripe failed; ``message`` is Stripe's own text when it sent one."""

    def __init__(self, message, *, status=None, code=None, type=None, request_id=None,
                 error=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.type = type
        self.request_id = request_id
        self.error = error or {}

    def __repr__(self):
        return (f"{self.__class__.__name__}({self.message!r}, status={self.status!r}, "
                f"code={self.code!r})")


class CardDeclined(PaymentError):
    """The card was refused. ``decline_code`` is the issuer's reason when Stripe gives one."""

    def __init__(self, message, code=None, decline_code=None, **fields):
        super().__init__(message, code=code, **fields)
        self.decline_code = decline_code
        intent = self.error.get("payment_intent")
        self.payment_intent_id = intent.get("id") if isinstance(intent, dict) else intent
        self.charge_id = self.error.get("charge")


class InvalidPaymentRequest(PaymentError):
    """Stripe refused the request itself (4xx other than a card decline)."""


class PaymentNotFound(InvalidPaymentRequest):
    """The object asked for does not exist (HTTP 404)."""


class PaymentServiceUnavailable(PaymentError):
    """Stripe could not be reached or kept failing; safe to retry later with the same key."""


class PaymentServicePaused(PaymentServiceUnavailable):
    """After repeated failures the circuit breaker answers for the payment server for a short while."""


class WebhookError(Exception):
    """A webhook request that must be answered with HTTP 400."""


class WebhookSignatureError(WebhookError):
    """The ``Stripe-Signature`` header is missing, malformed, wrong or too old."""


class InvalidWebhookPayload(WebhookError):
    """The body is correctly signed but is not a Stripe event."""
