"""Input that used to answer 500 now gets a clear 4xx or a form error: year-1 statement periods,
deeply nested JSON on the API, a signed webhook whose object id is not text."""

import json
import time

import pytest

from courtyard.extensions import db
from courtyard.models import User, WebhookEvent
from courtyard.models.types import utcnow
from courtyard.payments.webhooks import SIGNATURE_HEADER, sign
from courtyard.services.identity.api_tokens import create_token
from tests.support.factories import login, pin_login

ODD = ["start=0001-01-01", "period=custom&start=0001-01-01&end=0001-12-31", "period=month&start=9999-12-01"]


@pytest.mark.parametrize("query", ODD)
def test_statement_pages_show_a_form_error_for_a_year_one_period(app, client, make, query):
    """Do the household's, the unit's and the team's statement pages answer 200 with the date refused at the field?"""
    village = make.village()
    household = make.household(village, with_pin=True)
    pin_login(client, household)
    team, unit = app.test_client(), app.test_client()
    login(team, make.team_member(village))
    login(unit, make.partner_user(make.unit()))
    for who, path in ((client, "/household/statement"), (team, "/team/money"), (unit, "/partner/statement")):
        response = who.get(f"{path}?{query}")
        assert response.status_code == 200, path
        assert "2000" in response.get_data(as_text=True) and "2099" in response.get_data(as_text=True), path


@pytest.mark.parametrize("query", ODD)
def test_statement_exports_answer_400_for_a_year_one_period(app, client, make, query):
    """Do the household's PDF and the team's PDF, CSV and XLSX answer 400 with the reason, not a 500?"""
    village = make.village()
    pin_login(client, make.household(village, with_pin=True))
    team = app.test_client()
    login(team, make.team_member(village))
    for who, path in ((client, "/household/statement.pdf"), (team, "/team/money/statements.pdf"),
                      (team, "/team/money/statements.csv"), (team, "/team/money/statements.xlsx")):
        response = who.get(f"{path}?{query}")
        assert response.status_code == 400 and "2099" in response.get_data(as_text=True), path


def test_deeply_nested_json_on_the_api_is_a_400(app, client, make):
    """Is a pledge body nested 100,000 deep answered with the API's JSON error, not a 500?"""
    user = make.partner_user(make.unit())
    with app.app_context():
        _token, secret = create_token(db.session.get(User, user.id), "nest", utcnow())
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/pledges", data=body, headers={"Authorization": f"Bearer {secret}",
                                                                   "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and "error" in response.get_json()


@pytest.mark.parametrize("object_id", [["pi_1"], {"x": 1}, 12345])
def test_a_signed_webhook_with_an_object_id_that_is_not_text_is_refused(app, client, object_id):
    """Is a correctly signed payment_intent.succeeded whose intent id is a list, an object or a number
    answered 400 and not recorded?"""
    event = {"id": "evt_odd_id", "object": "event", "type": "payment_intent.succeeded",
             "data": {"object": {"id": object_id, "object": "payment_intent", "status": "succeeded"}}}
    body = json.dumps(event).encode()
    signature = sign(body, app.config["STRIPE_WEBHOOK_SECRET"], time.time())
    response = client.post("/stripe/webhook", data=body, headers={SIGNATURE_HEADER: signature,
                                                                  "Content-Type": "application/json"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(WebhookEvent, "evt_odd_id") is None
