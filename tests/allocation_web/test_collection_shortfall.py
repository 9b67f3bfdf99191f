"""On collection day a household brings less: the missing units go to the poorest with spare capacity."""

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AllocationAdjustment, AllocationRun
from courtyard.services.allocation import allocation_runs
from courtyard.services.supply import collection_shortfall
from tests.allocation_web.rounds import declare, paid_round
from tests.support.campaigns import NOW


def _published_run(app, make, capacities, tiers):
    village, round_ = make.village(), paid_round(app, packages_paid=3)  # demand 6
    households = [make.household(village, tier=tier) for tier in tiers]
    declare(app, round_, {h.id: c for h, c in zip(households, capacities)})
    with app.app_context():
        run = allocation_runs.create_run(None, round_.id, village.id, NOW)
        allocation_runs.publish(None, run, NOW)
        return run.id, round_, households


def _units(run):
    return {l.household_id: l.units for l in run.lines}


def test_missing_units_go_to_the_lowest_level_with_spare_capacity(app, make):
    """Does a household bringing 1 of 3 units hand the 2 missing units to the poor household first, logged, adding up?"""
    run_id, round_, (short, poor, lifted) = _published_run(app, make, (3, 5, 5), ("poor", "poor", "lifted"))
    with app.app_context():
        run = db.session.get(AllocationRun, run_id)
        before = _units(run)
        assert sum(before.values()) == 6 and before[short.id] >= 1
        extra, missing = collection_shortfall.propose(run, short.id, round_.item_id, before[short.id] - 2)
        assert missing == 0 and sum(extra.values()) == 2 and extra.get(poor.id, 0) >= extra.get(lifted.id, 0)
        assert _units(run) == before  # a proposal saves nothing
        collection_shortfall.confirm(None, run, short.id, round_.item_id, before[short.id] - 2, "鸡病了两只", NOW)
        run = db.session.get(AllocationRun, run_id)
        after = _units(run)
        assert sum(after.values()) == 6 and after[short.id] == before[short.id] - 2
        assert all(after[h] == before[h] + extra.get(h, 0) for h in (poor.id, lifted.id))
        assert run.summary["items"][str(round_.item_id)]["shortfall"] == 0
        logged = db.session.query(AllocationAdjustment).filter_by(run_id=run_id).count()
        assert logged == 1 + len(extra)


def test_without_spare_capacity_the_units_stay_missing(app, make):
    """When nobody has spare capacity, is the missing amount reported as shortfall?"""
    run_id, round_, (short, other) = _published_run(app, make, (3, 3), ("poor", "poor"))
    with app.app_context():
        run = db.session.get(AllocationRun, run_id)
        collection_shortfall.confirm(None, run, short.id, round_.item_id, 1, "少了", NOW)
        run = db.session.get(AllocationRun, run_id)
        assert _units(run) == {short.id: 1, other.id: 3}
        assert run.summary["items"][str(round_.item_id)]["shortfall"] == 2


def test_bad_shortfall_input_is_refused(app, make):
    """Are more units than allocated, and a missing reason, refused at their fields?"""
    run_id, round_, (short, _) = _published_run(app, make, (3, 3), ("poor", "poor"))
    with app.app_context():
        run = db.session.get(AllocationRun, run_id)
        with pytest.raises(DomainError) as error:
            collection_shortfall.propose(run, short.id, round_.item_id, 4)
        assert error.value.field == "units"
        with pytest.raises(DomainError) as error:
            collection_shortfall.confirm(None, run, short.id, round_.item_id, 1, " ", NOW)
        assert error.value.field == "reason"


def test_team_previews_then_confirms_a_shortfall_in_the_browser_pages(app, client, make):
    """Does the first post only show the proposal, and the confirmed post apply it, on a published run?"""
    from tests.support.factories import login

    village, round_ = make.village(), paid_round(app, packages_paid=3)
    short, other = make.household(village), make.household(village)
    declare(app, round_, {short.id: 3, other.id: 5})
    login(client, make.team_member(village))
    run_id = int(client.post(f"/team/allocation/{round_.id}/run").headers["Location"].rsplit("/", 1)[1])
    client.post(f"/team/allocation/runs/{run_id}/publish")
    with app.app_context():
        before = _units(db.session.get(AllocationRun, run_id))
    data = {"shortfall-household": str(short.id), "shortfall-item": str(round_.item_id),
            "shortfall-units": str(before[short.id] - 1), "shortfall-reason": "少带了一只"}
    preview = client.post(f"/team/allocation/runs/{run_id}/shortfall", data=data)
    assert preview.status_code == 200 and f'<tr data-household="{other.id}">' in preview.get_data(as_text=True)
    with app.app_context():
        assert _units(db.session.get(AllocationRun, run_id)) == before
    bad = client.post(f"/team/allocation/runs/{run_id}/shortfall", data={**data, "shortfall-units": "99"})
    assert bad.status_code == 422
    done = client.post(f"/team/allocation/runs/{run_id}/shortfall", data={**data, "shortfall-confirmed": "1"})
    assert done.status_code == 302
    with app.app_context():
        after = _units(db.session.get(AllocationRun, run_id))
    assert after == {short.id: before[short.id] - 1, other.id: before[other.id] + 1}
