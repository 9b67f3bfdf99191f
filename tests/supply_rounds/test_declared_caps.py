"""Declared capacity caps what a campaign may sell of each package, race-free, with a warning when it falls short."""

import threading

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CampaignPackage, Household, Pledge
from courtyard.models.types import utcnow
from courtyard.services.places import households
from courtyard.services.supply import supply
from tests.supply_rounds.shop import campaign, declare, item, offer_caps, paid_pledge
from tests.support.campaigns import NOW, make_buyer
from tests.support.factories import login


def test_nothing_declared_leaves_the_admin_cap(app, make):
    """Before any capacity is declared, may a campaign sell up to the county's cap?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 30)])
    assert offer_caps(app, shop.offer_ids) == [None]
    paid_pledge(app, make_buyer(app), shop.id, {shop.offer_ids[0]: 30})


def test_declared_capacity_caps_each_package(app, make):
    """Is an offer capped by the whole packages its items' declared units cover, on top of the admin cap?"""
    goose, egg = item(app, "鹅"), item(app, "鹅蛋", unit="枚")
    shop = campaign(app, [("standard", {goose: 1, egg: 10}, 30)])
    village = make.village()
    first, second = make.household(village), make.household(make.village())
    declare(app, shop.id, {(first.id, goose): 8, (first.id, egg): 40, (second.id, egg): 15})
    assert offer_caps(app, shop.offer_ids) == [5]  # 55 eggs cover 5 packages, though 8 geese would cover 8
    buyer = make_buyer(app)
    with pytest.raises(DomainError, match="5"):
        paid_pledge(app, buyer, shop.id, {shop.offer_ids[0]: 6})
    paid_pledge(app, buyer, shop.id, {shop.offer_ids[0]: 5})


def test_items_shared_between_offers_are_reserved_in_order(app, make):
    """When two packages need the same item, does what is sold stay reserved and the rest go to the offers in order?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 2}, 3), ("adoption", {goose: 1}, 50)])
    household = make.household(make.village())
    paid_pledge(app, make_buyer(app), shop.id, {shop.offer_ids[1]: 2})
    declare(app, shop.id, {(household.id, goose): 10})
    # 2 geese stay with the 2 adoptions sold; of the 8 left the first offer takes 3 packages (its cap), 6 geese
    assert offer_caps(app, shop.offer_ids) == [3, 4]


def test_the_pledge_form_shows_what_is_really_left(app, client, make):
    """Does the unit's pledge form say how many are left from the declared cap, and refuse more with that number?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 30)], around=utcnow())
    declare(app, shop.id, {(make.household(make.village()).id, goose): 7})
    buyer = make_buyer(app)
    login(client, make.partner_user(buyer))
    assert "剩 7 份" in client.get(f"/partner/campaigns/{shop.id}/pledge").get_data(as_text=True)
    line = {"lines-0-offer_id": shop.offer_ids[0], "lines-0-address_id": buyer.address_ids[0], "method": "transfer",
            "lines-0-quantity": "8"}
    response = client.post(f"/partner/campaigns/{shop.id}/pledge", data=line)
    assert response.status_code == 422 and "只剩 7 份" in response.get_data(as_text=True)


def test_lowering_below_what_is_sold_is_saved_with_a_warning(app, client, make):
    """Is a lower declaration saved (it is what the household has), the offer closed, and the team and county warned?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 30)])
    village = make.village()
    household = make.household(village)
    declare(app, shop.id, {(household.id, goose): 6})
    paid_pledge(app, make_buyer(app), shop.id, {shop.offer_ids[0]: 6})
    login(client, make.team_member(village))
    response = client.post(f"/team/supply/{shop.id}", data={f"cap_{household.id}_{goose}": "4"})
    assert response.status_code == 302
    page = client.get(f"/team/supply/{shop.id}").get_data(as_text=True)
    assert 'class="form-error shortage"' in page and "6" in page
    with app.app_context():
        offer = db.session.get(CampaignPackage, shop.offer_ids[0])
        assert (offer.sold, offer.declared_cap, offer.remaining) == (6, 6, 0)
    county = app.test_client()
    login(county, make.admin())
    assert 'class="form-error shortage"' in county.get(f"/county/campaigns/{shop.id}").get_data(as_text=True)


def test_a_declaration_that_cannot_be_saved_changes_no_cap(app, make):
    """Does a refused declaration leave the caps as they were?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 30)])
    household = make.household(make.village())
    declare(app, shop.id, {(household.id, goose): 6})
    with app.app_context(), pytest.raises(DomainError):
        supply.record(None, db.session.get(Household, household.id), shop.id, goose, -1, NOW)
    with app.app_context():
        db.session.rollback()
    assert offer_caps(app, shop.offer_ids) == [6]


def test_racing_buyers_never_exceed_the_declared_capacity(app, make):
    """Do 12 threads racing for packages the declarations cover 4 of sell exactly 4, though the admin cap is 50?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 2}, 50)])
    declare(app, shop.id, {(make.household(make.village()).id, goose): 9})
    buyers = [make_buyer(app, name=f"抢购单位{n}") for n in range(12)]
    outcomes, barrier = [], threading.Barrier(len(buyers))

    def buy(unit):
        barrier.wait()
        try:
            paid_pledge(app, unit, shop.id, {shop.offer_ids[0]: 1})
            outcomes.append("ok")
        except DomainError:
            outcomes.append("sold out")
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=buy, args=(unit,)) for unit in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes.count("ok") == 4 and outcomes.count("sold out") == 8
    with app.app_context():
        assert db.session.get(CampaignPackage, shop.offer_ids[0]).sold == 4
        assert db.session.query(Pledge).count() == 4


def test_declaring_while_buyers_race_keeps_the_cap(app, make):
    """Do declarations raised while buyers pledge leave sold within the declared cap at every moment?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 50)])
    household = make.household(make.village())
    declare(app, shop.id, {(household.id, goose): 3})
    buyers = [make_buyer(app, name=f"并发买家{n}") for n in range(6)]
    barrier = threading.Barrier(len(buyers) + 1)
    errors = []

    def buy(unit):
        barrier.wait()
        try:
            paid_pledge(app, unit, shop.id, {shop.offer_ids[0]: 1})
        except DomainError:
            pass
        except Exception as error:  # noqa: BLE001 - any other failure is what this test looks for
            errors.append(error)
        finally:
            with app.app_context():
                db.session.remove()

    def raise_capacity():
        barrier.wait()
        try:
            declare(app, shop.id, {(household.id, goose): 5})
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=buy, args=(unit,)) for unit in buyers] + [threading.Thread(target=raise_capacity)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    with app.app_context():
        offer = db.session.get(CampaignPackage, shop.offer_ids[0])
        assert offer.declared_cap == 5 and 3 <= offer.sold <= 5


def test_a_deactivated_household_no_longer_covers_sales(app, make):
    """When a household is deactivated, does what its declarations covered stop being for sale, and come back on reactivation?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 30)])
    village = make.village()
    first, second = make.household(village), make.household(village)
    declare(app, shop.id, {(first.id, goose): 4, (second.id, goose): 3})
    assert offer_caps(app, shop.offer_ids) == [7]
    with app.app_context():
        households.set_active(None, db.session.get(Household, first.id), False)
    assert offer_caps(app, shop.offer_ids) == [3]
    with app.app_context():
        households.set_active(None, db.session.get(Household, first.id), True)
    assert offer_caps(app, shop.offer_ids) == [7]
