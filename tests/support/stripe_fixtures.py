"""Shared Stripe fixtures: one real localstripe per session, the app pointed at it for a test, a dead port."""

import socket

import pytest
import requests

from courtyard.devservices.stripe_mock import running_stripe_mock
from courtyard.payments.client import StripeClient

API_KEY = "sk_test_courtyard_flow"
WEBHOOK_SECRET = "whsec_courtyard_flow"


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    with running_stripe_mock(tmp_path_factory.mktemp("localstripe-flow")) as base_url:
        yield base_url


@pytest.fixture
def stripe_config(app, localstripe_url):
    """Point the app at localstripe for one test, then put its Stripe settings back."""
    settings = {"STRIPE_API_BASE": localstripe_url, "STRIPE_LOCALSTRIPE": True, "STRIPE_SECRET_KEY": API_KEY,
                "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_MAX_NETWORK_RETRIES": 1,
                "STRIPE_JS_URL": f"{localstripe_url}/js.stripe.com/v3/"}
    saved = {key: app.config[key] for key in settings if key in app.config}
    app.config.update(settings)
    yield localstripe_url
    for key in settings:
        app.config.pop(key, None)
    app.config.update(saved)


@pytest.fixture
def stripe_api(stripe_config):
    """A client of its own for the tests to look at localstripe with."""
    return StripeClient(API_KEY, stripe_config, localstripe_compat=True, timeout=5, retry_backoff=0.01)


@pytest.fixture
def closed_port_url():
    """The URL of a port nothing listens on: the payment server is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def card_payment_method(base_url, number):
    """A PaymentMethod for a Stripe test card number, made on localstripe as Stripe.js makes one in the
    browser (the app never does this: it only receives the PaymentMethod's id)."""
    data = {"type": "card", "card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2034", "card[cvc]": "123"}
    response = requests.post(f"{base_url}/v1/payment_methods", data=data, headers={"Authorization": f"Bearer {API_KEY}"},
                             timeout=5)
    response.raise_for_status()
    return response.json()["id"]


@pytest.fixture
def save_card(app, stripe_config):
    """``save_card(unit_id, number="4242…")``: the unit's SavedCard for a test card, on its Stripe customer."""
    from courtyard.extensions import db
    from courtyard.models import PartnerUnit, SavedCard
    from courtyard.services.payments.saved_cards import customer_for

    client = StripeClient(API_KEY, stripe_config, localstripe_compat=True, timeout=5, retry_backoff=0.01)

    def save(unit_id, number="4242424242424242"):
        with app.app_context():
            unit = db.session.get(PartnerUnit, unit_id)
            customer_for(unit, client)
            card = SavedCard(unit_id=unit_id, payment_method_id=card_payment_method(stripe_config, number),
                             brand="visa", last4=number[-4:], exp_month=12, exp_year=2034)
            db.session.add(card)
            db.session.commit()
            return card.id
    return save
