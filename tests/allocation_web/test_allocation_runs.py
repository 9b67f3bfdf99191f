"""The allocation service: demand from paid pledges only, prior income from earlier published rounds."""

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AllocationRun
from courtyard.services.allocation import allocation_runs
from tests.allocation_web.rounds import declare, paid_round
from tests.support.campaigns import NOW


def _allocate(app, round_, village, publish=False):
    with app.app_context():
        run = allocation_runs.create_run(None, round_.id, village.id, NOW)
        if publish:
            allocation_runs.publish(None, run, NOW)
        return run.id, {l.household_id: l.units for l in run.lines}


def test_demand_counts_only_paid_pledges(app, make):
    """Do the paid packages' contents make the demand, and the unpaid pledge none of it?"""
    round_ = paid_round(app, packages_paid=3)
    with app.app_context():
        assert allocation_runs.campaign_demand(round_.id) == {round_.item_id: 6}


def test_a_household_served_in_an_earlier_round_comes_later(app, make):
    """After one household earned in a published round, does the next round go to the other first?"""
    village = make.village()
    first, second = make.household(village), make.household(village)
    earlier = paid_round(app, packages_paid=1)
    declare(app, earlier, {first.id: 4})
    _, units = _allocate(app, earlier, village, publish=True)
    assert units == {first.id: 2}
    later = paid_round(app, packages_paid=1)
    declare(app, later, {first.id: 4, second.id: 4})
    run_id, units = _allocate(app, later, village)
    assert units == {first.id: 0, second.id: 2}
    with app.app_context():
        summary = db.session.get(AllocationRun, run_id).summary
        assert summary["prior_income_fen"] == {str(first.id): 2 * later.price_fen, str(second.id): 0}
        assert summary["households_reached"] == 1 and summary["gini"] == pytest.approx(0.5)


def test_a_round_is_published_once_and_then_frozen(app, make):
    """Is a second publication of the same round refused, and a published run no longer re-run?"""
    village, round_ = make.village(), paid_round(app)
    declare(app, round_, {make.household(village).id: 3})
    run_id, _ = _allocate(app, round_, village, publish=True)
    with app.app_context():
        again = allocation_runs.create_run(None, round_.id, village.id, NOW)
        with pytest.raises(DomainError):
            allocation_runs.publish(None, again, NOW)
        with pytest.raises(DomainError):
            allocation_runs.rerun(None, db.session.get(AllocationRun, run_id), NOW)


def test_no_allocation_before_any_capacity_is_declared(app, client, make):
    """Is running a round with nothing declared refused with a message, creating no run?"""
    from tests.support.factories import login

    village, round_ = make.village(), paid_round(app)
    make.household(village)
    login(client, make.team_member(village))
    response = client.post(f"/team/allocation/{round_.id}/run")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/team/supply/{round_.id}")
    with app.app_context():
        assert db.session.query(AllocationRun).count() == 0


def test_household_sees_its_published_allocation(app, client, make):
    """Does a household see the units and income of a published allocation, and nothing of a draft?"""
    from tests.support.factories import pin_login

    village, round_ = make.village(), paid_round(app)
    household = make.household(village, with_pin=True)
    declare(app, round_, {household.id: 4})
    with app.app_context():
        run_id = allocation_runs.create_run(None, round_.id, village.id, NOW).id
    pin_login(client, household)
    assert "¥60.00" not in client.get("/household/").get_data(as_text=True)
    with app.app_context():
        allocation_runs.publish(None, db.session.get(AllocationRun, run_id), NOW)
    page = client.get("/household/").get_data(as_text=True)
    assert f'data-item="{round_.item_id}">' in page and " 4 袋</strong>" in page and "¥60.00" in page
