"""Removing one pinned line from a draft allocation, with a reason, so that the next computation sets it again."""

from courtyard.extensions import db
from courtyard.models import AllocationAdjustment, AllocationLine, AllocationRun, AuditEvent
from courtyard.services.allocation import allocation_runs
from tests.allocation_web.rounds import declare, paid_round
from tests.support.campaigns import NOW
from tests.support.factories import login


def _pinned_run(app, make):
    """A draft run of 10 units between two poor households, with the first pinned to 1 unit."""
    village, round_ = make.village(), paid_round(app, packages_paid=5)
    first, second = make.household(village), make.household(village)
    declare(app, round_, {first.id: 10, second.id: 10})
    with app.app_context():
        run = allocation_runs.create_run(None, round_.id, village.id, NOW)
        allocation_runs.adjust(None, run, first.id, round_.item_id, 1, "病了一只", NOW)
        return village, round_, first, second, run.id


def _units(app, run_id):
    with app.app_context():
        return {l.household_id: (l.units, l.pinned) for l in db.session.query(AllocationLine).filter_by(run_id=run_id)}


def test_the_team_unpins_one_line_and_it_is_computed_again(app, client, make):
    """Does un-pinning put the line back into the fair computation, logged with before, after and reason?"""
    village, round_, first, second, run_id = _pinned_run(app, make)
    assert _units(app, run_id) == {first.id: (1, True), second.id: (9, False)}
    login(client, make.team_member(village))
    page = client.get(f"/team/allocation/runs/{run_id}").get_data(as_text=True)
    assert f'data-household="{first.id}" data-item="{round_.item_id}"' in page  # the un-pin form of the pinned line
    response = client.post(f"/team/allocation/runs/{run_id}/unpin",
                           data={"household": first.id, "item": round_.item_id, "reason": "已经好了"})
    assert response.status_code == 302
    assert _units(app, run_id) == {first.id: (5, False), second.id: (5, False)}
    with app.app_context():
        change = db.session.query(AllocationAdjustment).filter_by(action="unpin").one()
        assert (change.before, change.after, change.reason) == (1, 5, "已经好了")
        event = db.session.query(AuditEvent).filter_by(action="allocation_unpinned").one()
        assert event.detail["reason"] == "已经好了"
    assert "已经好了" in client.get(f"/team/allocation/runs/{run_id}").get_data(as_text=True)


def test_unpinning_needs_a_reason_and_a_pinned_line(app, client, make):
    """Is an empty reason shown at that line, and un-pinning a line not set by hand refused, changing nothing?"""
    village, round_, first, second, run_id = _pinned_run(app, make)
    login(client, make.team_member(village))
    response = client.post(f"/team/allocation/runs/{run_id}/unpin", data={"household": first.id, "item": round_.item_id, "reason": " "})
    assert response.status_code == 422 and 'role="alert"' in response.get_data(as_text=True)
    response = client.post(f"/team/allocation/runs/{run_id}/unpin", data={"household": second.id, "item": round_.item_id, "reason": "x"})
    assert response.status_code == 422
    response = client.post(f"/team/allocation/runs/{run_id}/unpin", data={"household": "abc", "item": round_.item_id, "reason": "x"})
    assert response.status_code == 422
    assert _units(app, run_id) == {first.id: (1, True), second.id: (9, False)}


def test_another_village_cannot_unpin(app, client, make):
    """Does another village's team get 404, and a published run refuse to change?"""
    village, round_, first, second, run_id = _pinned_run(app, make)
    login(client, make.team_member(make.village()))
    response = client.post(f"/team/allocation/runs/{run_id}/unpin", data={"household": first.id, "item": round_.item_id, "reason": "x"})
    assert response.status_code == 404
    with app.app_context():
        run = db.session.get(AllocationRun, run_id)
        allocation_runs.publish(None, run, NOW)
    own = app.test_client()
    login(own, make.team_member(village))
    response = own.post(f"/team/allocation/runs/{run_id}/unpin", data={"household": first.id, "item": round_.item_id, "reason": "x"})
    assert response.status_code == 422
    assert _units(app, run_id) == {first.id: (1, True), second.id: (9, False)}
