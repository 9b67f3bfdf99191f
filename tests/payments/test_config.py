"""Building the client from the app's configuration, and refusing odd object ids."""

import pytest

from courtyard.payments.client import DEFAULT_BASE_URL, StripeClient, client_from_config
from courtyard.payments.errors import InvalidPaymentRequest


def test_client_from_config_reads_environment_style_strings():
    """String values from COURTYARD_* variables become a timeout, a retry count and a flag."""
    client = client_from_config({
        "STRIPE_SECRET_KEY": "sk_test_cfg", "STRIPE_API_BASE": "http://127.0.0.1:8420/",
        "STRIPE_LOCALSTRIPE": "true", "STRIPE_TIMEOUT": "7.5",
        "STRIPE_MAX_NETWORK_RETRIES": "1"})

    assert client.base_url == "http://127.0.0.1:8420"
    assert (client.localstripe_compat, client.timeout, client.max_network_retries) == (
        True, 7.5, 1)


def test_client_from_config_defaults_to_real_stripe():
    """With only a key configured the client talks to api.stripe.com, without localstripe quirks."""
    client = client_from_config({"STRIPE_SECRET_KEY": "sk_live_x"})

    assert client.base_url == DEFAULT_BASE_URL and client.localstripe_compat is False


@pytest.mark.parametrize("intent_id", ["../refunds", "pi_1/capture", "", None])
def test_odd_object_ids_never_reach_the_url(intent_id):
    """An id that is not a plain Stripe id is refused before any request is made."""
    client = StripeClient("sk_test_x", "http://127.0.0.1:9", max_network_retries=0)

    with pytest.raises(InvalidPaymentRequest):
        client.capture_payment_intent(intent_id)
