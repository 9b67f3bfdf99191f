"""Long lists come fifty rows a page, with a pager; a bad page number is a 404, never a server error."""

import re

import pytest
from sqlalchemy import insert

from courtyard.extensions import db
from courtyard.models import Household, PartnerUnit, Pledge, PledgeLine
from tests.support.campaigns import make_buyer, make_campaign
from tests.support.factories import login

ROWS = 120


def rows_of(response, attribute):
    return re.findall(rf'data-{attribute}="(\d+)"', response.get_data(as_text=True))


def pager_of(response):
    """(page, pages, has a next link, has a previous link) of the page's pager."""
    page = response.get_data(as_text=True)
    found = re.search(r'class="pager"[^>]*data-page="(\d+)" data-pages="(\d+)"', page)
    return int(found[1]), int(found[2]), 'rel="next"' in page, 'rel="prev"' in page


@pytest.fixture
def village_of_120(app, make, client):
    village = make.village()
    with app.app_context():
        db.session.execute(insert(Household), [dict(village_id=village.id, head_name=f"户{n:03d}", tier="poor", member_count=2)
                                               for n in range(ROWS)])
        db.session.commit()
    login(client, make.team_member(village))
    return village


def test_a_village_of_120_households_shows_50_and_a_next_link(client, village_of_120):
    """Does the first page list 50 households, say it is page 1 of 3, and link the next page only?"""
    response = client.get("/team/households")
    assert len(rows_of(response, "household")) == 50
    assert pager_of(response) == (1, 3, True, False)


def test_page_3_shows_the_rest_and_no_household_twice(client, village_of_120):
    """Do pages 1 to 3 show 50, 50 and 20 households, each one exactly once?"""
    pages = [rows_of(client.get(f"/team/households?page={n}"), "household") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert len(set(sum(pages, []))) == ROWS
    assert pager_of(client.get("/team/households?page=3")) == (3, 3, False, True)


def test_the_pager_keeps_the_filter(client, village_of_120):
    """Does the next-page link keep the search the team typed?"""
    page = client.get("/team/households?q=%E6%88%B7").get_data(as_text=True)
    assert re.search(r'href="[^"]*q=%E6%88%B7[^"]*page=2|href="[^"]*page=2[^"]*q=%E6%88%B7', page)


@pytest.mark.parametrize("bad", ["0", "4", "-1", "abc", "", "99999999999999999999999", "1.5"])
def test_a_bad_page_number_is_not_found(client, village_of_120, bad):
    """Is a page number that is no page a 404 (not a 500, not a silent wrong page)?"""
    expected = 200 if bad == "" else 404
    assert client.get(f"/team/households?page={bad}").status_code == expected


def test_a_short_list_has_no_pager(client, make, login_as):
    """With fewer rows than a page, is there no pager at all?"""
    village = make.village()
    make.household(village)
    login_as("team", of=village)
    response = client.get("/team/households")
    assert len(rows_of(response, "household")) == 1 and 'class="pager"' not in response.get_data(as_text=True)


def test_a_unit_with_120_pledges_sees_them_50_a_page(app, client, login_as):
    """Does a unit's pledge list page its 120 pledges, newest first, 50 then 50 then 20?"""
    campaign, buyer = make_campaign(app), make_buyer(app)
    with app.app_context():
        for n in range(ROWS):
            db.session.add(Pledge(campaign_id=campaign.id, unit_id=buyer.id, method="transfer", state="paid",
                                  total_fen=16800, reference=f"PG{n:05d}", lines=[PledgeLine(
                                      offer_id=campaign.offer_ids[0], address_id=buyer.address_ids[0], quantity=1,
                                      unit_price_fen=16800)]))
        db.session.commit()
    login_as("partner", of=buyer)
    pages = [rows_of(client.get(f"/partner/pledges?page={n}"), "pledge") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    ids = [int(i) for i in sum(pages, [])]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == ROWS


def test_the_county_sees_120_units_50_a_page(app, client, login_as):
    """Does the county's list of partner units page too?"""
    with app.app_context():
        db.session.execute(insert(PartnerUnit), [dict(name=f"单位{n:03d}", kind="company") for n in range(ROWS)])
        db.session.commit()
    login_as("county")
    assert [len(rows_of(client.get(f"/county/units?page={n}"), "unit")) for n in (1, 2, 3)] == [50, 50, 20]
    assert client.get("/county/units?page=4").status_code == 404
