"""Who sees what: each role sees only its own village, unit or household."""

import pytest

from tests.support.factories import login, pin_login


@pytest.fixture
def two_villages(make):
    a, b = make.village("甲村"), make.village("乙村")
    return {
        "a": a, "b": b,
        "team_a": make.team_member(a),
        "house_a": make.household(a, name="甲户", with_pin=True),
        "house_b": make.household(b, name="乙户", with_pin=True),
    }


@pytest.mark.parametrize("path", [
    "/team/households/{id}", "/team/households/{id}/edit",
])
def test_team_member_gets_404_for_another_villages_household(client, two_villages, path):
    """Does a work-team member get 404 (not 403) for a household of another village?"""
    login(client, two_villages["team_a"])
    assert client.get(path.format(id=two_villages["house_b"].id)).status_code == 404
    assert client.get(path.format(id=two_villages["house_a"].id)).status_code == 200


@pytest.mark.parametrize("path,data", [
    ("/team/households/{id}/pin", {"pin": "111111", "confirm": "111111"}),
    ("/team/households/{id}/active/0", {}),
    ("/team/households/{id}/edit", {"head_name": "改名", "tier": "poor", "member_count": "2"}),
])
def test_team_member_cannot_change_another_villages_household(app, client, two_villages, path, data):
    """Can a work team change another village's household by posting to it? (No: 404, unchanged.)"""
    login(client, two_villages["team_a"])
    assert client.post(path.format(id=two_villages["house_b"].id), data=data).status_code == 404
    from courtyard.models import Household
    from courtyard.extensions import db
    with app.app_context():
        household = db.session.get(Household, two_villages["house_b"].id)
        assert household.head_name == "乙户" and household.active and household.account.check_secret("246810")


def test_household_list_shows_only_own_village(client, two_villages):
    """Does the household list of a team show its own village's households and no other?"""
    login(client, two_villages["team_a"])
    page = client.get("/team/households").get_data(as_text=True)
    assert "甲户" in page and "乙户" not in page


def test_household_sees_only_itself(client, two_villages):
    """Does a logged-in household see its own name, and get 403 on team and county pages?"""
    pin_login(client, two_villages["house_a"])
    page = client.get("/household/").get_data(as_text=True)
    assert "甲户" in page and "乙户" not in page
    assert client.get("/team/households").status_code == 403
    assert client.get(f"/team/households/{two_villages['house_b'].id}").status_code == 403
    assert client.get("/county/").status_code == 403
    assert client.get("/partner/").status_code == 403


def test_partner_sees_only_its_unit(client, make):
    """Does a partner-unit user see its own unit and not another, and no county or team page?"""
    village = make.village()
    mine, other = make.unit("我的单位", [village]), make.unit("别人的单位")
    user = make.partner_user(mine)
    login(client, user)
    page = client.get("/partner/").get_data(as_text=True)
    assert "我的单位" in page and "别人的单位" not in page
    for path in ("/county/", f"/county/units/{other.id}", "/team/", "/household/"):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("path", ["/county/", "/county/units", "/team/", "/team/households", "/partner/", "/household/"])
def test_anonymous_visitors_are_sent_to_login(client, path):
    """Does every private page send an anonymous visitor to the login page, remembering where they were?"""
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"] and "next=" in response.headers["Location"]


def test_team_member_cannot_open_county_pages(client, two_villages):
    """Is the county admin's area closed to work teams?"""
    login(client, two_villages["team_a"])
    for path in ("/county/", "/county/units", "/county/tiers", "/county/teams"):
        assert client.get(path).status_code == 403


def test_county_admin_sees_every_village(client, two_villages, login_as):
    """Can the county admin open every village's team page?"""
    login_as("county")
    assert client.get(f"/county/teams/{two_villages['a'].team_id}").status_code == 200
    assert client.get(f"/county/teams/{two_villages['b'].team_id}").status_code == 200
