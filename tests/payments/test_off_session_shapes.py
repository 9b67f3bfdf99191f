"""The two servers' ways of asking for 3-D Secure on an off-session charge lead to the same place: localstripe
returns the intent in ``requires_action``, real Stripe answers 402 ``authentication_required`` with the intent
back in ``requires_payment_method``. Either way the pledge needs the unit's action, with the same words and a
confirmation the page can run, and a second close charges nothing."""

import json
from datetime import datetime, timedelta, timezone

import pytest
import requests

from courtyard.extensions import db
from courtyard.models import CardPayment, Pledge
from courtyard.payments.client import StripeClient
from courtyard.payments.decline_reasons import reason_text
from courtyard.services.payments import card_close_charges, card_needs_action
from tests.support.stripe_fixtures import API_KEY


class RealStripeAnswers(requests.Session):
    """localstripe behind Stripe's own answer to an off-session charge needing authentication (a 402 error)."""

    def request(self, method, url, *args, **kwargs):
        response = super().request(method, url, *args, **kwargs)
        sent = dict(kwargs.get("data") or [])
        if method == "POST" and url.endswith("/v1/payment_intents") and sent.get("off_session") == "true":
            intent = dict(response.json(), status="requires_payment_method")
            error = {"type": "card_error", "code": "authentication_required", "decline_code": "authentication_required",
                     "message": "Your card was declined. This transaction requires authentication.",
                     "payment_intent": intent}
            fake = requests.Response()
            fake.status_code, fake._content, fake.url = 402, json.dumps({"error": error}).encode(), url
            fake.headers["Content-Type"] = "application/json"
            return fake
        return response


@pytest.mark.parametrize("server", ["localstripe", "real Stripe"])
def test_off_session_authentication_needs_the_units_action_either_way(app, save_card, pledge_in, stripe_config,
                                                                      intents_of, snapshot, server):
    """Does either answer leave the pledge needing action (the card's intent kept for 3-D Secure, the same reason
    shown), give the page a client secret to confirm with, and keep a second run from charging again?"""
    pledge = pledge_in("payment_pending", closes_in=timedelta(days=14))
    card_id = save_card(pledge.unit_id, "4000002760003184")
    session = RealStripeAnswers() if server == "real Stripe" else requests.Session()
    client = StripeClient(API_KEY, stripe_config, localstripe_compat=True, timeout=5, retry_backoff=0.01,
                          max_network_retries=0, session=session)
    now = datetime.now(timezone.utc)
    with app.app_context():
        row = db.session.get(Pledge, pledge.id)
        db.session.add(CardPayment(pledge_id=row.id, state="saved", amount_fen=row.total_fen, saved_card_id=card_id,
                                   created_at=now, updated_at=now))
        row.state = "authorized"
        db.session.commit()

        assert card_close_charges.charge_saved_card(row, now, client=client) == "needs_action"
        assert card_close_charges.charge_saved_card(row, now, client=client) == "skipped"
        action = card_needs_action.action_for(row, client=client)

    after = snapshot(pledge)
    assert (after.state, after.card_state) == ("needs_action", "requires_action")
    assert str(reason_text(after.last_error)) == "Your bank asks you to confirm this payment (3-D Secure)."
    [intent] = intents_of(pledge)
    assert after.intent_id == intent["id"] == action["intent_id"]
    assert action["client_secret"].startswith(intent["id"] + "_secret_")
