"""A team allocates a round from real paid pledges, adjusts by hand with a reason, and publishes a masked notice."""

import io
import re

from pypdf import PdfReader

from courtyard.extensions import db
from courtyard.models import AllocationAdjustment, AllocationLine, AllocationRun, AuditEvent
from tests.support.factories import login
from tests.support.supply import declare_for, paid_round


def _run(client, round_):
    response = client.post(f"/team/allocation/{round_.id}/run")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/runs/(\d+)", response.headers["Location"]).group(1))


def _units(app, run_id):
    with app.app_context():
        lines = db.session.query(AllocationLine).filter_by(run_id=run_id)
        return {line.household_id: (line.units, line.capacity, line.pinned) for line in lines}


def _setup(app, make, client, capacities, packages_paid=5, tiers=("poor", "monitored", "lifted")):
    village, round_ = make.village(), paid_round(app, packages_paid)
    households = [make.household(village, tier=tier) for tier in tiers]
    declare_for(app, round_, {h.id: units for h, units in zip(households, capacities)})
    team = make.team_member(village)
    login(client, team)
    return village, round_, households, team


def test_allocation_adds_up_to_demand_within_capacity(app, client, make):
    """Do the units sum to the paid demand when capacity covers it, each within capacity, poorest first?"""
    village, round_, (poor, monitored, lifted), _ = _setup(app, make, client, (4, 4, 4))
    run_id = _run(client, round_)
    units = _units(app, run_id)
    assert round_.demand == 10 and sum(u for u, _, _ in units.values()) == 10
    assert all(u <= cap for u, cap, _ in units.values())
    assert units[poor.id][0] >= units[monitored.id][0] >= units[lifted.id][0]
    with app.app_context():
        summary = db.session.get(AllocationRun, run_id).summary
    item = summary["items"][str(round_.item_id)]
    assert (item["demand"], item["allocated"], item["shortfall"]) == (10, 10, 0)
    assert summary["households_reached"] == 3 and summary["income_fen"] == 10 * round_.price_fen
    assert summary["level_lowest"] <= summary["level_median"] <= summary["level_highest"]
    page = client.get(f"/team/allocation/runs/{run_id}").get_data(as_text=True)
    assert page.count(f'data-item="{round_.item_id}" data-units=') == 3


def test_short_capacity_leaves_a_shortfall(app, client, make):
    """With less capacity than demand, does everyone supply all they declared and the rest show as shortfall?"""
    _, round_, households, _ = _setup(app, make, client, (3, 2), tiers=("poor", "lifted"))
    run_id = _run(client, round_)
    assert {h: u for h, (u, _, _) in _units(app, run_id).items()} == {households[0].id: 3, households[1].id: 2}
    with app.app_context():
        item = db.session.get(AllocationRun, run_id).summary["items"][str(round_.item_id)]
    assert (item["demand"], item["allocated"], item["shortfall"]) == (10, 5, 5)


def test_adjustment_needs_a_reason_is_audited_and_stays_pinned(app, client, make):
    """Is an adjustment without a reason refused (422), and one with a reason logged, pinned and kept on re-run?"""
    _, round_, (poor, monitored, lifted), team = _setup(app, make, client, (4, 4, 4))
    run_id = _run(client, round_)
    form = {"household": str(lifted.id), "item": str(round_.item_id), "units": "4"}
    assert client.post(f"/team/allocation/runs/{run_id}/adjust", data={**form, "reason": "  "}).status_code == 422
    with app.app_context():
        assert db.session.query(AllocationAdjustment).count() == 0
    before = _units(app, run_id)[lifted.id][0]
    response = client.post(f"/team/allocation/runs/{run_id}/adjust", data={**form, "reason": "家中有病人，多给一些"})
    assert response.status_code == 302
    units = _units(app, run_id)
    assert units[lifted.id] == (4, 4, True) and sum(u for u, _, _ in units.values()) == 10
    with app.app_context():
        adjustment = db.session.query(AllocationAdjustment).one()
        assert (adjustment.before, adjustment.after, adjustment.actor_id) == (before, 4, team.id)
        event = db.session.query(AuditEvent).filter_by(action="allocation_adjusted").one()
        assert event.actor_id == team.id and event.detail["reason"] == "家中有病人，多给一些"
    assert client.post(f"/team/allocation/runs/{run_id}/rerun", data={"keep_pins": "y"}).status_code == 302
    units = _units(app, run_id)
    assert units[lifted.id] == (4, 4, True) and sum(u for u, _, _ in units.values()) == 10
    assert client.post(f"/team/allocation/runs/{run_id}/rerun", data={"keep_pins": ""}).status_code == 302
    assert not any(pinned for _, _, pinned in _units(app, run_id).values())


def test_adjustment_beyond_capacity_is_refused(app, client, make):
    """Are more units than the household declared refused at the field?"""
    _, round_, (poor, _, _), _ = _setup(app, make, client, (4, 4, 4))
    run_id = _run(client, round_)
    response = client.post(f"/team/allocation/runs/{run_id}/adjust", data={
        "household": str(poor.id), "item": str(round_.item_id), "units": "5", "reason": "试试"})
    assert response.status_code == 422
    assert _units(app, run_id)[poor.id][2] is False


def test_published_notice_masks_names(app, client, make, login_as):
    """Is the notice hidden until published, then shown with masked names, never the full name, phone or tier?"""
    village, round_ = make.village(), paid_round(app)
    household = make.household(village, name="张三芳", tier="poor")
    declare_for(app, round_, {household.id: 6})
    login_as("team", of=village)
    run_id = _run(client, round_)
    assert client.get(f"/notice/{run_id}").status_code == 404
    assert client.get(f"/notice/{run_id}.pdf").status_code == 404
    assert client.post(f"/team/allocation/runs/{run_id}/publish").status_code == 302
    public = app.test_client()
    response = public.get(f"/notice/{run_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "张*芳" in page and "张三芳" not in page and household.phone not in page and "tier-poor" not in page
    assert "¥90.00" in page  # 6 units at ¥15.00
    pdf = public.get(f"/notice/{run_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "张*芳" in text and "张三芳" not in text and household.phone not in text and "¥90.00" in text
    # a published run no longer changes
    client.post(f"/team/allocation/runs/{run_id}/adjust", data={
        "household": str(household.id), "item": str(round_.item_id), "units": "1", "reason": "改"})
    assert _units(app, run_id)[household.id][0] == 6
    assert public.get("/notice/999999").status_code == 404


def test_another_villages_team_gets_404(app, client, make, login_as):
    """Does a team from another village get 404 on every page of the run, changing nothing?"""
    village, round_ = make.village(), paid_round(app)
    household = make.household(village)
    declare_for(app, round_, {household.id: 6})
    login_as("team", of=village)
    run_id = _run(client, round_)
    outsider = app.test_client()
    login(outsider, make.team_member(make.village()))
    assert outsider.get(f"/team/allocation/runs/{run_id}").status_code == 404
    assert outsider.post(f"/team/allocation/runs/{run_id}/adjust", data={
        "household": str(household.id), "item": str(round_.item_id), "units": "1", "reason": "x"}).status_code == 404
    assert outsider.post(f"/team/allocation/runs/{run_id}/rerun", data={}).status_code == 404
    assert outsider.post(f"/team/allocation/runs/{run_id}/publish").status_code == 404
    with app.app_context():
        assert db.session.get(AllocationRun, run_id).state == "draft"
    assert _units(app, run_id)[household.id][0] == 6
