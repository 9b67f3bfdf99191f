"""``GET /api/v1/statement``: a household reads its own year, the same figures as the ledger; no one else may."""

import time_machine

from courtyard.extensions import db
from courtyard.models import DeliveryRound, User
from courtyard.services.money import ledger
from courtyard.services.supply import collection
from tests.api.conftest import bearer
from tests.deliveries.test_collection import allocated


def test_a_household_token_reads_its_own_statement_with_the_ledger_figures(app, client, make, token_for):
    """After a collection, the household's statement says what it earned and is owed, line by line."""
    r = allocated(app, make)
    household = r.households[0]
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        units = r.lines[household.id]
        collection.record_collection(None, round_, household.id, r.item_id, units, 0, "", r.now)
        owed = ledger.owed_fen(household.id)
        user = db.session.query(User).filter_by(household_id=household.id).one()
    with time_machine.travel(r.now, tick=False):  # "this year" is the year of the collection, on any date
        answer = client.get("/api/v1/statement", headers=bearer(token_for(user)))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["household_id"] == household.id
    assert body["earned_fen"] == units * 1500 == owed == body["closing_fen"]
    assert [(line["kind"], line["units"]) for line in body["lines"]] == [("goods_accepted", units)]


def test_only_households_have_a_statement(app, client, make, token_for):
    """A work team's token is refused with the one error shape."""
    team = make.team_member(make.village())
    answer = client.get("/api/v1/statement", headers=bearer(token_for(team)))
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"]
