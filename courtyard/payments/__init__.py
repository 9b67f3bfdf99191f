"""Payments through Stripe: an HTTP client (:mod:`.client`), webhook checks (:mod:`.webhooks`)
and the errors both raise (:mod:`.errors`). Services call these; views never do."""

from courtyard.payments.client import StripeClient, client_from_config, idempotency_key
from courtyard.payments.errors import (CardDeclined, InvalidPaymentRequest, PaymentError,
                                       PaymentNotFound, PaymentServicePaused,
                                       PaymentServiceUnavailable,
                                       WebhookSignatureError)

__all__ = ["CardDeclined", "InvalidPaymentRequest", "PaymentError", "PaymentNotFound",
           "PaymentServicePaused", "PaymentServiceUnavailable",
           "StripeClient", "WebhookSignatureError",
           "client_from_config", "idempotency_key"]
