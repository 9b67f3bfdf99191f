"""The phone sync endpoint for collection day: each change applied once, in order, conflicts answered in
words and logged, and a team reaches only its own village."""

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import (
    AllocationLine, AllocationRun, CollectionRecord, DeliveryRound, FieldChange, LedgerTransaction,
)
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.money import ledger
from courtyard.services.supply import collection
from tests.deliveries.rounds import planned_round
from tests.support.factories import login


def _allocated(app, make, **options):
    r = planned_round(app, make, **options)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        r.round_id = round_.id
        r.lines = {l.household_id: l.units for l in db.session.scalars(
            select(AllocationLine).join(AllocationRun).where(AllocationRun.round_id == round_.id)) if l.units}
    r.team = make.team_member(r.village)
    return r


def _change(r, household_id, accepted, rejected=0, reason="", minutes=0, change_id=None):
    made = datetime(2026, 12, 17, 8, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    return {"id": change_id or uuid.uuid4().hex, "round_id": r.round_id, "household_id": household_id,
            "item_id": r.item_id, "accepted": accepted, "rejected": rejected, "reason": reason,
            "made_at": made.isoformat()}


def _sync(client, *changes):
    return client.post("/team/collection/sync", json={"changes": list(changes)})


def _postings(app, household_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LedgerTransaction).where(
            LedgerTransaction.household_id == household_id, LedgerTransaction.kind == "goods_accepted"))


def test_a_change_sent_twice_is_recorded_and_posted_once(app, make, client):
    """Does resending the same change (same id) answer as before without a second record or ledger posting?"""
    r = _allocated(app, make)
    household_id, units = next(iter(r.lines.items()))
    login(client, r.team)
    change = _change(r, household_id, units)
    first = _sync(client, change).get_json()["results"][0]
    again = _sync(client, change, change).get_json()["results"]
    assert first["outcome"] == "applied" and [a["outcome"] for a in again] == ["applied", "applied"]
    assert _postings(app, household_id) == 1
    with app.app_context():
        assert ledger.owed_fen(household_id) == units * 1500
        assert db.session.scalar(select(func.count()).select_from(FieldChange)) == 1


def test_changes_are_applied_in_the_order_sent(app, make, client):
    """Two changes to the same household in one batch: does the later one (sent second) stand?"""
    r = _allocated(app, make)
    household_id, units = next((h, u) for h, u in r.lines.items() if u >= 2)
    login(client, r.team)
    results = _sync(client, _change(r, household_id, units, minutes=0),
                    _change(r, household_id, units - 1, 1, "烂叶", minutes=5)).get_json()["results"]
    assert [x["outcome"] for x in results] == ["applied", "replaced"]
    assert [x["reallocated"] for x in results] == [False, True]  # the phone fetches the sheet's new figures
    with app.app_context():
        record = db.session.scalar(select(CollectionRecord).where(CollectionRecord.household_id == household_id))
        assert (record.units_accepted, record.units_rejected, record.reject_reason) == (units - 1, 1, "烂叶")
        assert ledger.owed_fen(household_id) == (units - 1) * 1500  # the first posting was reversed, not doubled


def test_an_earlier_recording_from_another_phone_loses_and_both_are_logged(app, make, client):
    """Two members recorded the same household offline; the earlier one syncs last: is the later one kept, the
    conflict answered with the other's recording, logged, and nothing posted twice?"""
    r = _allocated(app, make)
    household_id, units = next((h, u) for h, u in r.lines.items() if u >= 2)
    other = make.team_member(r.village)
    login(client, other)
    _sync(client, _change(r, household_id, units - 1, 1, "个头小", minutes=10))
    client.post("/logout")
    login(client, r.team)
    result = _sync(client, _change(r, household_id, units, minutes=2)).get_json()["results"][0]
    assert result["outcome"] == "kept_other" and "较晚" in result["message"]
    assert result["other"]["accepted"] == units - 1 and result["other"]["reason"] == "个头小"
    assert _postings(app, household_id) == 1
    with app.app_context():
        assert ledger.owed_fen(household_id) == (units - 1) * 1500
        outcomes = db.session.scalars(select(FieldChange.outcome).order_by(FieldChange.id)).all()
        assert outcomes == ["applied", "kept_other"]


def test_a_change_after_the_collection_closed_is_kept_but_not_recorded(app, make, client):
    """Is a change arriving after the team finished the collection answered "closed", kept, and not posted?"""
    r = _allocated(app, make)
    household_id, units = next(iter(r.lines.items()))
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_id)
        collection.finish_collection(None, round_, r.village.id, round_.cutoff_at)
    login(client, r.team)
    result = _sync(client, _change(r, household_id, units)).get_json()["results"][0]
    assert result["outcome"] == "closed" and "已经结束" in result["message"]
    assert _postings(app, household_id) == 0
    with app.app_context():
        assert db.session.scalar(select(FieldChange.accepted)) == units


def test_a_team_cannot_sync_another_villages_household(app, make, client):
    """Is a change naming another village's round or household refused whole (404), with nothing applied?"""
    r = _allocated(app, make)
    household_id, units = next(iter(r.lines.items()))
    stranger = make.team_member(make.village())
    login(client, stranger)
    assert _sync(client, _change(r, household_id, units)).status_code == 404
    assert _postings(app, household_id) == 0


def test_a_malformed_change_is_refused_in_words(app, make, client):
    """Is a change with a negative count or no time refused with a 400 and a message, and nothing applied?"""
    r = _allocated(app, make)
    household_id, units = next(iter(r.lines.items()))
    login(client, r.team)
    bad = _change(r, household_id, -1)
    response = _sync(client, bad)
    assert response.status_code == 400 and response.get_json()["error"]
    assert _sync(client, {**_change(r, household_id, units), "made_at": "soon"}).status_code == 400
    assert _postings(app, household_id) == 0
