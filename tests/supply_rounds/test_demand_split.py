"""The county splits a campaign's demand between villages; each village allocates only its share."""

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AllocationRun, AuditEvent, SupplyShare
from courtyard.services.allocation import allocation_runs, demand_split
from tests.supply_rounds.shop import campaign, declare, item, paid_pledge
from tests.support.campaigns import NOW
from tests.support.factories import login


def _two_villages(app, make, east_geese=10, west_geese=4):
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 100)])
    east, west = make.village("东村"), make.village("西村")
    east_home, west_home = make.household(east), make.household(west)
    declare(app, shop.id, {(east_home.id, goose): east_geese, (west_home.id, goose): west_geese})
    return goose, shop, east, west, east_home, west_home


def _split(app, campaign_id):
    with app.app_context():
        return {s.pledge.id: (s.village_id, s.fixed) for s in demand_split.shares(campaign_id)}


def test_the_proposal_prefers_the_paired_village_that_can_serve(app, make):
    """Does a pledge go to its unit's paired village when that village can supply it whole?"""
    goose, shop, east, west, *_ = _two_villages(app, make)
    paired_with_west = make.unit(villages=[west])
    pledge_id = paid_pledge(app, paired_with_west, shop.id, {shop.offer_ids[0]: 3})
    assert _split(app, shop.id) == {pledge_id: (west.id, False)}


def test_the_proposal_falls_back_to_the_village_with_most_capacity(app, make):
    """When the paired village cannot serve a pledge whole, does it go to the village with the most capacity left?"""
    goose, shop, east, west, *_ = _two_villages(app, make)
    paired_with_west = make.unit(villages=[west])
    big = paid_pledge(app, paired_with_west, shop.id, {shop.offer_ids[0]: 6})
    small = paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[0]: 4})
    # west (4 geese) cannot serve 6, so east (10) does; then both have 4 left and the tie goes to the older village
    assert _split(app, shop.id) == {big: (east.id, False), small: (east.id, False)}


def test_each_village_allocates_only_its_share(app, make):
    """Does each village's allocation use only the demand of the pledges it serves?"""
    goose, shop, east, west, east_home, west_home = _two_villages(app, make)
    to_west = paid_pledge(app, make.unit(villages=[west]), shop.id, {shop.offer_ids[0]: 3})
    to_east = paid_pledge(app, make.unit(villages=[east]), shop.id, {shop.offer_ids[0]: 5})
    with app.app_context():
        assert allocation_runs.campaign_demand(shop.id) == {goose: 8}
        west_run = allocation_runs.create_run(None, shop.id, west.id, NOW)
        east_run = allocation_runs.create_run(None, shop.id, east.id, NOW)
        assert {l.household_id: l.units for l in west_run.lines} == {west_home.id: 3}
        assert {l.household_id: l.units for l in east_run.lines} == {east_home.id: 5}
        assert west_run.summary["packages_served"] == 3 and east_run.summary["packages_served"] == 5
    assert set(_split(app, shop.id)) == {to_west, to_east}


def test_the_county_moves_a_pledge_and_the_team_sees_its_share(app, client, make):
    """Can the county move one pledge to another village, audited, and does each team page show its new share?"""
    goose, shop, east, west, east_home, west_home = _two_villages(app, make)
    first = paid_pledge(app, make.unit(villages=[east]), shop.id, {shop.offer_ids[0]: 2})
    second = paid_pledge(app, make.unit(villages=[east]), shop.id, {shop.offer_ids[0]: 3})
    login(client, make.admin())
    page = client.get(f"/county/campaigns/{shop.id}/split").get_data(as_text=True)
    assert "东村" in page and "西村" in page and f'name="village_{first}"' in page
    response = client.post(f"/county/campaigns/{shop.id}/split", data={f"village_{first}": east.id, f"village_{second}": west.id})
    assert response.status_code == 302
    assert _split(app, shop.id) == {first: (east.id, True), second: (west.id, True)}
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="supply_share_set", entity_id=second).one()
        assert event.detail["after"] == west.id
    team = app.test_client()
    login(team, make.team_member(west))
    assert "3" in team.get(f"/team/supply/{shop.id}").get_data(as_text=True).split('id="village-share"')[1][:120]
    assert team.get(f"/county/campaigns/{shop.id}/split").status_code == 403


def test_a_village_that_supplies_nothing_is_refused_at_the_pledge(app, client, make):
    """Is moving a pledge to a village without capacity refused next to that pledge, saving nothing?"""
    goose, shop, east, west, *_ = _two_villages(app, make)
    idle = make.village("南村")
    pledge_id = paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[0]: 2})
    login(client, make.admin())
    response = client.post(f"/county/campaigns/{shop.id}/split", data={f"village_{pledge_id}": idle.id})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.query(SupplyShare).count() == 0


def test_the_county_allocates_every_village_at_once(app, client, make):
    """Does one county button compute each supplying village's allocation on its own share, and again without duplicates?"""
    goose, shop, east, west, east_home, west_home = _two_villages(app, make)
    paid_pledge(app, make.unit(villages=[west]), shop.id, {shop.offer_ids[0]: 3})
    paid_pledge(app, make.unit(villages=[east]), shop.id, {shop.offer_ids[0]: 5})
    login(client, make.admin())
    for _ in range(2):
        assert client.post(f"/county/campaigns/{shop.id}/allocate").status_code == 302
    with app.app_context():
        runs = {r.village_id: r for r in db.session.query(AllocationRun)}
        assert len(runs) == 2 and db.session.query(AllocationRun).count() == 2
        assert {l.units for l in runs[west.id].lines} == {3} and {l.units for l in runs[east.id].lines} == {5}


def test_the_proposal_comes_back_after_a_reset(app, client, make):
    """Does "follow the proposal again" forget the county's choices?"""
    goose, shop, east, west, *_ = _two_villages(app, make)
    pledge_id = paid_pledge(app, make.unit(villages=[east]), shop.id, {shop.offer_ids[0]: 2})
    with app.app_context():
        demand_split.assign(None, shop.id, {pledge_id: west.id}, NOW)
    assert _split(app, shop.id) == {pledge_id: (west.id, True)}
    login(client, make.admin())
    client.post(f"/county/campaigns/{shop.id}/split/reset")
    assert _split(app, shop.id) == {pledge_id: (east.id, False)}


def test_publishing_fixes_the_pledges_it_served(app, client, make):
    """Once a village publishes, do its pledges stay with it when capacity changes, and may the county no longer move them?"""
    goose, shop, east, west, east_home, west_home = _two_villages(app, make)
    pledge_id = paid_pledge(app, make.unit(villages=[west]), shop.id, {shop.offer_ids[0]: 3})
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, west.id, NOW)
        allocation_runs.publish(None, run, NOW)
    declare(app, shop.id, {(west_home.id, goose): 0})  # west can no longer supply: the proposal would move the pledge
    assert _split(app, shop.id) == {pledge_id: (west.id, True)}
    login(client, make.admin())
    response = client.post(f"/county/campaigns/{shop.id}/split", data={f"village_{pledge_id}": east.id})
    assert response.status_code == 422 and 'role="alert"' in response.get_data(as_text=True)
    assert _split(app, shop.id) == {pledge_id: (west.id, True)}


def test_a_village_cannot_publish_pledges_the_county_moved_away(app, make):
    """Is publishing refused when the county gave one of the run's pledges to another village after it was computed?"""
    goose, shop, east, west, *_ = _two_villages(app, make)
    pledge_id = paid_pledge(app, make.unit(villages=[west]), shop.id, {shop.offer_ids[0]: 3})
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, west.id, NOW)
        demand_split.assign(None, shop.id, {pledge_id: east.id}, NOW)
        with pytest.raises(DomainError, match="compute it again"):
            allocation_runs.publish(None, db.session.get(AllocationRun, run.id), NOW)
