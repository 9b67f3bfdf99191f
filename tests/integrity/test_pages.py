"""Integrity pages: the team sees its households' figures and who needs training; contract shortfalls are
flagged on the team's and the county's pages; sanctions are decided, enforced and lifted with reasons."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, AuditEvent, DeliveryRound, Household, Sanction
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.supply import collection, supply
from tests.support.ladder import Ladder
from tests.support.campaigns import NOW
from tests.support.cooperatives import active_contract
from tests.support.factories import login


def _one_unit_rejected_each(app, make):
    """A round allocated and collected, each household having one unit rejected for yellow leaves."""
    r = Ladder(app, make).planned(capacities=(8, 8, 8))
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        db.session.commit()
        now = round_.cutoff_at + timedelta(days=1)
        lines = db.session.scalars(select(AllocationLine).join(AllocationRun).where(
            AllocationRun.round_id == round_.id, AllocationLine.units > 0)).all()
        for line in lines:
            collection.record_collection(None, round_, line.household_id, r.item_id, line.units - 1, 1, "烂叶", now)
            db.session.commit()
    return r


def test_the_team_sees_its_households_figures_and_a_contract_behind_its_minimum(app, client, make):
    """Does the team's integrity page show the rejections by reason, and a household contract that is behind
    its minimum flagged there and on the county's contract list?"""
    r = _one_unit_rejected_each(app, make)
    household_id = r.households[0].id
    active_contract(app, NOW, item_id=r.item_id, floor_price_fen=100, household_id=household_id, min_units=200,
                    max_units=300)
    login(client, make.team_member(r.village))
    page = client.get("/team/integrity").get_data(as_text=True)
    assert "烂叶" in page and "未达最低数量进度的合同" in page
    county = app.test_client()
    login(county, make.admin())
    assert "未达最低数量进度的合同" in county.get("/county/contracts").get_data(as_text=True)


def test_a_household_paused_from_an_item_cannot_declare_it_until_the_pause_is_lifted(app, client, make):
    """Is a pause decided on the county's page with a reason, refused without one, enforced when the team
    declares the item, audited, and lifted again with a reason?"""
    r = Ladder(app, make).planned()
    household_id = r.households[1].id
    login(client, make.admin())
    url = f"/county/integrity/households/{household_id}"
    assert client.post(url, data={"pause-item": r.item_id, "pause-reason": ""}).status_code == 422
    assert client.post(url, data={"pause-item": r.item_id, "pause-reason": "连续三次不合格"}).status_code == 302
    with app.app_context():
        household = db.session.get(Household, household_id)
        with pytest.raises(DomainError, match="paused"):
            supply.record(None, household, r.campaign_id, r.item_id, 3, NOW)
        db.session.rollback()
        sanction_id = db.session.scalar(select(Sanction.id))
    assert client.post(f"/county/sanctions/{sanction_id}/lift", data={"lift-reason": "已培训"}).status_code == 302
    with app.app_context():
        supply.record(None, db.session.get(Household, household_id), r.campaign_id, r.item_id, 3, NOW)
        db.session.commit()
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "sanction"))]
        assert actions == ["sanction_decided", "sanction_lifted"]
        assert db.session.get(Sanction, sanction_id).lift_reason == "已培训"
