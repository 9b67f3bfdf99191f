"""Bad input anywhere gives a page with a message, never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.factories import login

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)

COUNTY_FORMS = {
    "/county/townships/new": ("name",),
    "/county/villages/new": ("township_id", "name", "description"),
    "/county/teams/new": ("village_id", "name", "contact_phone"),
    "/county/units/new": ("name", "kind", "contact_name", "contact_phone", "contact_email", "annual_budget", "villages"),
    "/county/items/new": ("name", "category", "unit", "price", "months"),
    "/county/packages/new": ("name", "description", "price", "lines-0-item_id", "lines-0-quantity", "lines-25-quantity"),
    "/county/tiers": ("poor", "monitored", "lifted"),
    "/county/campaigns/new": ("title", "mode", "goal_kind", "goal_value", "opens_at", "closes_at", "offers-0-package_id",
                              "offers-0-price", "offers-0-cap", "limit_per_unit", "transfer_grace_days"),
    "/county/visits/new": ("village_id", "title", "starts_at", "ends_at", "meeting_point", "capacity", "per_unit_limit",
                           "campaign_id", "registration_deadline", "fee", "activities"),
}
TEAM_FORMS = {
    "/team/households/new": ("head_name", "tier", "member_count", "members", "phone", "id_number", "bank_card", "notes"),
    "/team/visits/new": ("village_id", "title", "starts_at", "ends_at", "meeting_point", "capacity", "per_unit_limit",
                         "campaign_id", "registration_deadline", "fee", "activities"),
    "/team/money/pay-all": ("method",),
}


def _fuzz(client, path, fields, values):
    data = dict(zip(fields, values))
    response = client.post(path, data=data)
    assert response.status_code in (200, 302, 422), (path, data, response.status_code)


FORMS = [("county", path, fields) for path, fields in COUNTY_FORMS.items()] + \
        [("team", path, fields) for path, fields in TEAM_FORMS.items()]


@pytest.mark.parametrize("role,path,fields", FORMS, ids=[path for _role, path, _fields in FORMS])
def test_forms_survive_any_text(app, make, role, path, fields):
    """Does every county and team form answer random text in every field with a page, not a 500?"""
    client = app.test_client()
    login(client, make.admin() if role == "county" else make.team_member(make.village()))

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(TEXT, min_size=len(fields), max_size=len(fields)))
    def run(values):
        _fuzz(client, path, fields, values)

    run()


@pytest.mark.parametrize("path", ["/login", "/login/pin"])
def test_login_forms_survive_any_text(app, path):
    """Do the login forms answer random text with a message, not a 500?"""
    client = app.test_client()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(TEXT, TEXT)
    def run(a, b):
        response = client.post(path, data={"login": a, "password": b, "phone": a, "pin": b})
        assert response.status_code == 422

    run()


def test_pledge_form_survives_any_text(app, make):
    """Does the pledge form answer random text in every field with a page, not a 500?"""
    from courtyard.models.types import utcnow
    from tests.support.campaigns import make_buyer, make_campaign

    campaign = make_campaign(app, around=utcnow())
    buyer = make_buyer(app)
    client = app.test_client()
    login(client, make.partner_user(buyer))
    fields = ("lines-0-offer_id", "lines-0-address_id", "lines-0-quantity", "method")

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(TEXT, min_size=len(fields), max_size=len(fields)))
    def run(values):
        _fuzz(client, f"/partner/campaigns/{campaign.id}/pledge", fields, values)

    run()


def test_nul_characters_never_reach_the_database(app, make, client, login_as):
    """Is a NUL character in a form field or a query string dropped, instead of making PostgreSQL fail?"""
    login_as("county")
    assert client.post("/county/townships/new", data={"name": "东\x00风镇"}).status_code == 302
    assert "东风镇" in client.get("/county/places").get_data(as_text=True)
    team = app.test_client()
    login(team, make.team_member(make.village()))
    assert team.get("/team/households?q=%00张").status_code == 200
    assert app.test_client().post("/login", data={"login": "a\x00b", "password": "x\x00"}).status_code == 422
