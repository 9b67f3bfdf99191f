"""What each role's token reaches: its own village, unit or household; the rest is 404 (or 403 by role)."""

import pytest

from tests.support.api import bearer
from tests.support.route_world import build_world


@pytest.fixture
def world(app, make):
    return build_world(app, make)


def _get(client, secret, path):
    return client.get(f"/api/v1{path}", headers=bearer(secret))


def test_a_team_token_gets_404_for_another_villages_household_and_run(client, world, token_for):
    """The other village's team gets 404 (not 403) for this village's household and allocation run."""
    own, other = token_for(world.visitors["team"]), token_for(world.visitors["team_other"])
    household, run = world.params["household_id"], world.params["run_id"]
    assert _get(client, own, f"/households/{household}").status_code == 200
    assert _get(client, own, f"/allocation-runs/{run}").get_json()["lines"]
    for path in (f"/households/{household}", f"/allocation-runs/{run}"):
        response = _get(client, other, path)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert household not in [h["id"] for h in _get(client, other, "/households").get_json()["data"]]
    assert _get(client, other, "/allocation-runs").get_json()["total"] == 0


def test_a_units_token_sees_only_its_own_pledges_and_deliveries(client, world, token_for):
    """Another unit's token finds neither this unit's pledge nor its delivery, in lists or by id."""
    own, other = token_for(world.visitors["partner"]), token_for(world.visitors["partner_other"])
    pledge, delivery = world.params["pledge_id"], world.params["delivery_id"]
    assert _get(client, own, f"/pledges/{pledge}").get_json()["id"] == pledge
    assert _get(client, own, f"/deliveries/{delivery}").get_json()["boxes"]
    assert _get(client, other, f"/pledges/{pledge}").status_code == 404
    assert _get(client, other, f"/deliveries/{delivery}").status_code == 404
    assert _get(client, other, "/pledges").get_json()["data"] == []
    assert _get(client, other, "/deliveries").get_json()["total"] == 0


def test_the_county_reads_everything(client, world, token_for):
    """The county's token reaches every household, run, pledge and delivery."""
    county = token_for(world.visitors["county"])
    for path in ("/households/{household_id}", "/allocation-runs/{run_id}", "/pledges/{pledge_id}",
                 "/deliveries/{delivery_id}", "/campaigns/{campaign_id}"):
        assert _get(client, county, path.format(**world.params)).status_code == 200, path


@pytest.mark.parametrize("visitor, path", [
    ("partner", "/households"), ("partner", "/allocation-runs"), ("team", "/pledges"), ("team", "/deliveries"),
    ("household", "/pledges"), ("household", "/households"),
])
def test_a_role_that_may_not_read_a_list_gets_403_json(client, world, token_for, visitor, path):
    """A role outside a list's roles gets 403 in the error shape, not an empty list."""
    response = _get(client, token_for(world.visitors[visitor]), path)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_households_show_only_the_last_four_digits(client, world, token_for):
    """Neither the full ID number nor the bank card number ever leaves through the API."""
    body = _get(client, token_for(world.visitors["county"]), "/households?per_page=100").get_data(as_text=True)
    assert '"id_number_last4"' in body and '"bank_card_last4"' in body
    assert "6217000011112222" not in body and "id_number\"" not in body and "bank_card\"" not in body
