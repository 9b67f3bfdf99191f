"""The localstripe runner: own state directory, restarts with its state, webhook registration."""

import pytest
import requests

from courtyard.devservices.stripe_mock import (STATE_FILE, clear_stripe_mock, register_webhook,
                                               running_stripe_mock)
from courtyard.payments.client import StripeClient
from courtyard.payments.errors import PaymentNotFound


def client(base_url):
    return StripeClient("sk_test_devservices", base_url, localstripe_compat=True,
                        max_network_retries=0)


def test_state_lives_in_the_state_dir_and_survives_a_restart(tmp_path):
    """Objects are saved under the given directory and are there again after a restart."""
    with running_stripe_mock(tmp_path) as base_url:
        intent = client(base_url).create_payment_intent(1000, metadata={"pledge_id": "1"})
    assert (tmp_path / STATE_FILE).stat().st_size > 0

    with running_stripe_mock(tmp_path) as base_url:
        again = client(base_url).retrieve_payment_intent(intent["id"])
        clear_stripe_mock(base_url)
        with pytest.raises(PaymentNotFound):
            client(base_url).retrieve_payment_intent(intent["id"])

    assert again["metadata"] == {"pledge_id": "1"}


def test_register_webhook_checks_its_input(tmp_path):
    """A webhook endpoint is accepted with an http URL and a secret, refused without a URL."""
    with running_stripe_mock(tmp_path) as base_url:
        register_webhook(base_url, "http://127.0.0.1:5000/stripe/webhook", "whsec_x",
                         events=["payment_intent.succeeded", "payment_intent.payment_failed"])
        with pytest.raises(requests.HTTPError):
            register_webhook(base_url, "", "whsec_x")
