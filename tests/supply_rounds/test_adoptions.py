"""Adoption (认养) packages: set in the catalogue, allocated whole and poorest first, shown to unit, household and public."""

from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import (
    Adoption, AllocationRun, AuditEvent, CampaignPackage, OutboxMessage, Package, PartnerUnit, Pledge, Village,
)
from courtyard.services.allocation import allocation_runs
from courtyard.services.supply import adoption_shortfall
from tests.supply_rounds.shop import campaign, declare, item, paid_pledge
from tests.support.campaigns import NOW
from tests.support.factories import login, pin_login


def _adoption_round(app, make, sold_before=None):
    """Adopt-a-goose (1 goose + 2 bags of feed) next to an ordinary egg package; three households of one village.

    ``sold_before`` ({offer position: quantity}) is paid for before any capacity is declared.
    """
    goose, feed, egg = item(app, "鹅", price_fen=30000), item(app, "饲料", price_fen=2000, unit="袋"), item(app, "鹅蛋", unit="枚")
    shop = campaign(app, [("adoption", {goose: 1, feed: 2}, 20), ("standard", {goose: 1, egg: 10}, 20)])
    village = make.village("鹅村")
    poor = make.household(village, tier="poor", name="张三芳", with_pin=True)
    lifted = make.household(village, tier="lifted", name="李四")
    small = make.household(village, tier="poor", name="王五")
    if sold_before:
        paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[n]: q for n, q in sold_before.items()})
    declare(app, shop.id, {(poor.id, goose): 2, (poor.id, feed): 4, (lifted.id, goose): 5, (lifted.id, feed): 20,
                           (small.id, goose): 1, (small.id, feed): 1, (lifted.id, egg): 50})
    return shop, village, poor, lifted, small, goose


def test_adoptions_are_allocated_whole_poorest_first(app, make):
    """Is each adoption raised by one household with capacity for all of it, the poor household first?"""
    shop, village, poor, lifted, small, goose = _adoption_round(app, make)
    unit = make.unit(name="县一中")
    paid_pledge(app, unit, shop.id, {shop.offer_ids[0]: 3, shop.offer_ids[1]: 1})
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, village.id, NOW)
        raised = sorted(a.household_id for a in run.adoptions)
        # 王五 has 1 goose but only 1 bag of feed: no whole adoption; 张三芳 (poor) takes 2, 李四 the third
        assert raised == sorted([poor.id, poor.id, lifted.id])
        assert run.summary["adoptions"] == {str(shop.package_ids[0]): {"demand": 3, "allocated": 3, "shortfall": 0}}
        # the ordinary package needs 1 goose: 张三芳's geese are used up by adoptions, so it comes from elsewhere
        lines = {(l.household_id, l.item_id): l.units for l in run.lines}
        assert lines.get((poor.id, goose), 0) == 0 and lines[(lifted.id, goose)] + lines.get((small.id, goose), 0) == 1
        share = db.session.get(Package, shop.package_ids[0]).household_share_fen
        assert {a.income_fen for a in run.adoptions} == {share}


def test_adoptions_nobody_can_raise_are_shortfall(app, make):
    """Are adoptions beyond whole capacity reported as shortfall, never split?"""
    shop, village, poor, lifted, small, goose = _adoption_round(app, make, sold_before={0: 9})
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, village.id, NOW)
        assert len(run.adoptions) == 7  # 2 (张三芳) + 5 (李四)
        assert run.summary["adoptions"][str(shop.package_ids[0])]["shortfall"] == 2


def test_after_publishing_unit_household_and_public_see_the_adoption(app, client, make):
    """Does the unit see the masked household and village, the household the unit, and the notice the adoption?"""
    shop, village, poor, lifted, small, goose = _adoption_round(app, make)
    unit = make.unit(name="县一中")
    pledge_id = paid_pledge(app, unit, shop.id, {shop.offer_ids[0]: 1})
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, village.id, NOW)
        run_id = run.id
    login(client, make.partner_user(unit))
    assert "张*芳" not in client.get(f"/partner/pledges/{pledge_id}").get_data(as_text=True)  # not before publishing
    with app.app_context():
        allocation_runs.publish(None, db.session.get(AllocationRun, run_id), NOW)
    page = client.get(f"/partner/pledges/{pledge_id}").get_data(as_text=True)
    assert "张*芳" in page and "鹅村" in page and "张三芳" not in page
    household = app.test_client()
    pin_login(household, poor)
    assert "县一中" in household.get("/household/").get_data(as_text=True)
    notice = app.test_client().get(f"/notice/{run_id}").get_data(as_text=True)
    assert "认养" in notice and "张*芳" in notice
    assert app.test_client().get(f"/notice/{run_id}.pdf").status_code == 200


def test_the_county_sets_the_kind_in_the_catalogue(app, client, make):
    """Can the county make a package an adoption, and is changing the kind refused once it is on offer?"""
    goose = item(app, "鹅")
    login(client, make.admin())
    data = {"name": "认养一只鹅", "price": "398", "kind": "adoption", "lines-0-item_id": goose, "lines-0-quantity": "1",
            "active": "y"}
    assert client.post("/county/packages/new", data=data).status_code == 302
    with app.app_context():
        package = db.session.query(Package).filter_by(name="认养一只鹅").one()
        assert package.kind == "adoption"
        package_id = package.id
    assert "认养" in client.get("/county/packages").get_data(as_text=True)
    shop = campaign(app, [("adoption", {goose: 1}, 5)])
    with app.app_context():
        db.session.get(CampaignPackage, shop.offer_ids[0]).package_id = package_id
        db.session.commit()
    response = client.post(f"/county/packages/{package_id}", data=dict(data, kind="standard"))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Package, package_id).kind == "adoption"
    assert client.post(f"/county/packages/{package_id}", data=dict(data, kind="pet")).status_code == 422


def test_adoption_isolation_between_units(app, client, make):
    """Does another unit get 404 for a pledge with an adoption?"""
    shop, village, poor, *_ = _adoption_round(app, make)
    pledge_id = paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[0]: 1})
    login(client, make.partner_user(make.unit()))
    assert client.get(f"/partner/pledges/{pledge_id}").status_code == 404


def _published_adoption(app, make, capacities):
    """One adoption of a published run, raised by 张三芳; ``capacities`` are the other households' (geese, feed)."""
    goose, feed = item(app, "鹅", price_fen=30000), item(app, "饲料", price_fen=2000, unit="袋")
    shop = campaign(app, [("adoption", {goose: 1, feed: 2}, 20)])
    village = make.village("鹅村")
    raiser = make.household(village, tier="poor", name="张三芳")
    others = {tier: make.household(village, tier=tier) for tier in capacities}
    declare(app, shop.id, {(raiser.id, goose): 1, (raiser.id, feed): 2,
                           **{(h.id, goose): capacities[t][0] for t, h in others.items()},
                           **{(h.id, feed): capacities[t][1] for t, h in others.items()}})
    unit = make.unit(name="县一中")
    with app.app_context():
        db.session.get(PartnerUnit, unit.id).contact_email = "school@example.cn"
        db.session.commit()
    pledge_id = paid_pledge(app, unit, shop.id, {shop.offer_ids[0]: 1})
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, village.id, NOW)
        allocation_runs.publish(None, run, NOW)
        (adoption,) = run.adoptions
        assert adoption.household_id == raiser.id
        return adoption.id, raiser, others, pledge_id


def test_a_dead_goose_goes_to_the_poorest_household_with_room(app, make):
    """When the adopted goose dies, does the adoption move to the poorest household that can raise it whole,
    with the unit and both households told?"""
    adoption_id, raiser, others, _ = _published_adoption(app, make, {"lifted": (3, 6), "monitored": (1, 2)})
    with app.app_context():
        outcome, household = adoption_shortfall.resolve(None, db.session.get(Adoption, adoption_id), "鹅病死", NOW)
        assert outcome == "replaced" and household.id == others["monitored"].id
        assert db.session.get(Adoption, adoption_id).household_id == others["monitored"].id
        told = {e.entity_id for e in db.session.query(AuditEvent).filter_by(action="supply_notice", entity="household")}
        assert told == {raiser.id, others["monitored"].id}
        assert [m.to_address for m in db.session.query(OutboxMessage) if "认养转户" in m.subject] == ["school@example.cn"]


def test_an_adoption_nobody_can_raise_is_refunded_to_the_unit(app, make):
    """When no other household has room, is the unit paid back the package's price and told, the adoption ended?"""
    adoption_id, raiser, others, pledge_id = _published_adoption(app, make, {"lifted": (1, 1)})
    with app.app_context():
        outcome, amount = adoption_shortfall.resolve(None, db.session.get(Adoption, adoption_id), "鹅验收不合格", NOW)
        pledge = db.session.get(Pledge, pledge_id)
        assert outcome == "refunded" and amount == 20000 and pledge.refunded_fen == 20000
        assert db.session.get(Adoption, adoption_id) is None
        subjects = [m.subject for m in db.session.query(OutboxMessage).filter_by(to_address=pledge.unit.contact_email)]
        assert any("认养退款" in s for s in subjects)


def test_the_team_hands_over_an_adoption_from_the_allocation_page(app, client, make):
    """Can the team, on its published allocation, say an adoption cannot be raised and see it handed over?"""
    adoption_id, raiser, others, _ = _published_adoption(app, make, {"lifted": (3, 6)})
    with app.app_context():
        adoption = db.session.get(Adoption, adoption_id)
        run_id, village_id = adoption.run_id, adoption.run.village_id
    login(client, make.team_member(SimpleNamespace(team_id=_team_of(app, village_id))))
    url = f"/team/allocation/runs/{run_id}/adoptions/{adoption_id}/shortfall"
    assert url in client.get(f"/team/allocation/runs/{run_id}").get_data(as_text=True)
    client.post(url, data={"reason": ""})
    with app.app_context():
        assert db.session.get(Adoption, adoption_id).household_id == raiser.id
    response = client.post(url, data={"reason": "鹅被黄鼠狼叼走"}, follow_redirects=True)
    assert others["lifted"].name in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Adoption, adoption_id).household_id == others["lifted"].id


def _team_of(app, village_id):
    with app.app_context():
        return db.session.get(Village, village_id).team.id
