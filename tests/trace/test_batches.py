"""Work teams and households record how goods were grown; teams record the quality check at collection."""

from datetime import date

from sqlalchemy import select

from courtyard.demo.base import HOUSEHOLD_PIN, TEAM_PASSWORD
from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, CollectionRecord, DeliveryRound, HouseholdBatch, QualityCheck, User
from tests.trace.demo import load_demo


def _team_login(client, login="team.lijia"):
    client.post("/login", data={"login": login, "password": TEAM_PASSWORD})


def _allocated_line(app):
    """(round id, household id, item id, household phone, category) of a line in the demo's allocated round."""
    with app.app_context():
        line = db.session.scalar(select(AllocationLine).join(AllocationRun).join(
            DeliveryRound, DeliveryRound.id == AllocationRun.round_id).where(
            DeliveryRound.state == "allocated", AllocationRun.state == "published", AllocationLine.units > 0)
            .order_by(AllocationLine.id))
        phone = db.session.scalar(select(User.login).where(User.household_id == line.household_id))
        found = (line.run.round_id, line.household_id, line.item_id, phone, line.item.category)
        db.session.remove()
    return found


def _batch(app, round_id, household_id, item_id):
    with app.app_context():
        batch = db.session.scalar(select(HouseholdBatch).where(
            HouseholdBatch.round_id == round_id, HouseholdBatch.household_id == household_id,
            HouseholdBatch.item_id == item_id))
        found = None if batch is None else (batch.started_on, batch.harvested_on, batch.inputs)
        db.session.remove()
    return found


def test_team_records_a_batch_with_listed_and_typed_inputs(app, client):
    """Does the team's batch form save dates and inputs ticked from the list plus typed extras?"""
    load_demo(app)
    round_id, household_id, item_id, _phone, category = _allocated_line(app)
    _team_login(client)
    assert client.get(f"/team/trace/{round_id}").status_code == 200
    url = f"/team/trace/{round_id}/suppliers/{household_id}/items/{item_id}"
    kind, choice = ("feed", "自产玉米") if category == "poultry" else ("fertiliser", "农家肥")
    response = client.post(url, data={"started_on": "2026-06-01", "harvested_on": "2026-08-20", kind: [choice],
                                      f"{kind}_other": "豆饼、 草木灰"})
    assert response.status_code == 302
    started, harvested, inputs = _batch(app, round_id, household_id, item_id)
    assert (started, harvested) == (date(2026, 6, 1), date(2026, 8, 20))
    assert inputs == [{"kind": kind, "name": choice}, {"kind": kind, "name": "豆饼"}, {"kind": kind, "name": "草木灰"}]
    assert "豆饼" in client.get(url).get_data(as_text=True)  # shown again for editing


def test_harvest_before_planting_is_refused_at_the_field(app, client):
    """Is a harvest date before the planting date shown as an error next to the field, with nothing saved?"""
    load_demo(app)
    round_id, household_id, item_id, _phone, _category = _allocated_line(app)
    _team_login(client)
    response = client.post(f"/team/trace/{round_id}/suppliers/{household_id}/items/{item_id}",
                           data={"started_on": "2026-08-20", "harvested_on": "2026-06-01"})
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    assert _batch(app, round_id, household_id, item_id) is None


def test_household_records_its_own_batch_from_its_phone(app, client):
    """Can a household fill in how it grew what it is to bring, from a link on its home page?"""
    load_demo(app)
    round_id, household_id, item_id, phone, _category = _allocated_line(app)
    client.post("/login/pin", data={"phone": phone, "pin": HOUSEHOLD_PIN})
    home = client.get("/household/").get_data(as_text=True)
    assert f"/household/batches/{round_id}/{item_id}" in home
    response = client.post(f"/household/batches/{round_id}/{item_id}", data={"harvested_on": "2026-08-20"})
    assert response.status_code == 302
    assert _batch(app, round_id, household_id, item_id)[1] == date(2026, 8, 20)


def test_others_cannot_reach_a_batch(app, client, make):
    """Does another village's team, or a household not supplying that item, get 404 for the batch?"""
    load_demo(app)
    round_id, household_id, item_id, _phone, _category = _allocated_line(app)
    _team_login(client, "team.shimen")
    assert client.get(f"/team/trace/{round_id}/suppliers/{household_id}/items/{item_id}").status_code == 404
    assert client.get(f"/team/trace/{round_id}").status_code == 404
    client.post("/logout")
    with app.app_context():
        allocated = select(AllocationLine.household_id).join(AllocationRun).where(AllocationRun.round_id == round_id)
        other = db.session.scalar(select(User.login).where(User.role == "household",
                                                           User.household_id.not_in(allocated)).limit(1))
        db.session.remove()
    client.post("/login/pin", data={"phone": other, "pin": HOUSEHOLD_PIN})
    assert client.get(f"/household/batches/{round_id}/{item_id}").status_code == 404


def test_team_records_a_quality_check_and_a_failure_needs_a_note(app, client):
    """Does a failed check without a note get an error at the note, and a pass with a certificate save?"""
    load_demo(app)
    with app.app_context():
        record_id = db.session.scalar(select(CollectionRecord.id).order_by(CollectionRecord.id))
        db.session.remove()
    _team_login(client)
    url = f"/team/trace/records/{record_id}/check"
    failed = client.post(url, data={"result": "fail", "note": ""})
    assert failed.status_code == 422 and "field-error" in failed.get_data(as_text=True)
    assert client.post(url, data={"result": "pass", "certificate": "HG-9", "note": ""}).status_code == 302
    with app.app_context():
        check = db.session.scalar(select(QualityCheck).where(QualityCheck.record_id == record_id))
        assert (check.passed, check.certificate) == (True, "HG-9")
        db.session.remove()
    client.post("/logout")
    _team_login(client, "team.shimen")
    assert client.get(url).status_code == 404
