"""Work teams record what each household can supply; bad input is explained at the cell, saving nothing."""

import io
import re

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AuditEvent, CapacityDeclaration, Household
from courtyard.services.supply import supply
from tests.allocation_web.rounds import paid_round
from tests.support.campaigns import NOW
from tests.support.factories import login, pin_login


def _cell(household, round_):
    return f"cap_{household.id}_{round_.item_id}"


def _declared(app):
    with app.app_context():
        return {(d.household_id, d.item_id): d.units for d in db.session.query(CapacityDeclaration)}


def test_team_declares_capacity_in_the_table(app, client, make):
    """Does the table save each household's units, show them again, and keep an audit event?"""
    village, round_ = make.village(), paid_round(app)
    first, second = make.household(village), make.household(village, tier="lifted")
    login(client, make.team_member(village))
    assert client.get(f"/team/supply/{round_.id}").status_code == 200
    response = client.post(f"/team/supply/{round_.id}", data={_cell(first, round_): "6", _cell(second, round_): ""})
    assert response.status_code == 302
    assert _declared(app) == {(first.id, round_.item_id): 6}
    page = client.get(f"/team/supply/{round_.id}").get_data(as_text=True)
    assert f'name="{_cell(first, round_)}"' in page and 'value="6"' in page
    client.post(f"/team/supply/{round_.id}", data={_cell(first, round_): "4"})
    assert _declared(app) == {(first.id, round_.item_id): 4}
    with app.app_context():
        changes = [e.detail for e in db.session.query(AuditEvent).filter_by(action="capacity_declared").order_by(AuditEvent.id)]
    assert [(c["before"], c["after"]) for c in changes] == [(None, 6), (6, 4)]


@pytest.mark.parametrize("value", ["-3", "abc", "2.5", "10001"])
def test_bad_units_are_refused_at_the_cell(app, client, make, value):
    """Is a negative, non-numeric, fractional or huge number refused with 422 at its cell, saving no cell?"""
    village, round_ = make.village(), paid_round(app)
    first, second = make.household(village), make.household(village)
    login(client, make.team_member(village))
    response = client.post(f"/team/supply/{round_.id}", data={_cell(first, round_): "5", _cell(second, round_): value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="field-error"') == 1 and f'aria-label="{second.name}' in page
    assert _declared(app) == {}


def test_service_refuses_bad_declarations(app, make):
    """Does the service name the field for negative units, an item not in the round, or a deactivated household?"""
    village, round_ = make.village(), paid_round(app)
    household = make.household(village)
    with app.app_context():
        entity = db.session.get(Household, household.id)
        for units, item_id in ((-1, round_.item_id), (True, round_.item_id), (3, 999999)):
            with pytest.raises(DomainError) as error:
                supply.record(None, entity, round_.id, item_id, units, NOW, field="cell")
            assert error.value.field == "cell"
        entity.active = False
        with pytest.raises(DomainError):
            supply.record(None, entity, round_.id, round_.item_id, 3, NOW)


def test_the_table_covers_only_the_teams_village(app, client, make):
    """Is another village's household neither shown nor saved through the table?"""
    village, other, round_ = make.village(), make.village(), paid_round(app)
    make.household(village)
    stranger = make.household(other, name="外村人")
    login(client, make.team_member(village))
    page = client.get(f"/team/supply/{round_.id}").get_data(as_text=True)
    assert "外村人" not in page
    assert client.post(f"/team/supply/{round_.id}", data={_cell(stranger, round_): "9"}).status_code == 302
    assert _declared(app) == {}


def test_household_sees_its_declarations(app, client, make):
    """Does a household see the units recorded for it after logging in with its PIN?"""
    village, round_ = make.village(), paid_round(app)
    household = make.household(village, with_pin=True)
    login(client, make.team_member(village))
    client.post(f"/team/supply/{round_.id}", data={_cell(household, round_): "7"})
    client.post("/logout")
    pin_login(client, household)
    page = client.get("/household/").get_data(as_text=True)
    assert "<strong>土豆0 7 袋</strong>" in page


def _png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_one_household_with_a_note_and_photo(app, client, make):
    """Does the household page store units, a note and a photo, and refuse bad units at the field with 422?"""
    village, round_ = make.village(), paid_round(app)
    household = make.household(village)
    login(client, make.team_member(village))
    url = f"/team/supply/{round_.id}/households/{household.id}"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"item": str(round_.item_id), "units": "-1", "note": ""})
    assert bad.status_code == 422 and 'id="units-error"' in bad.get_data(as_text=True)
    response = client.post(url, data={"item": str(round_.item_id), "units": "6", "note": "六只散养鸡",
                                      "photo": (_png(), "flock.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        declaration = db.session.query(CapacityDeclaration).one()
        assert (declaration.units, declaration.note) == (6, "六只散养鸡") and declaration.photo.endswith(".jpg")
    assert client.get(f"/photos/{declaration.photo}").status_code == 200
    # the table keeps the note and photo when it saves the same cell again
    client.post(f"/team/supply/{round_.id}", data={_cell(household, round_): "5"})
    with app.app_context():
        declaration = db.session.query(CapacityDeclaration).one()
        assert (declaration.units, declaration.note, declaration.photo is not None) == (5, "六只散养鸡", True)


def test_another_villages_household_page_is_404(app, client, make):
    """Does a team get 404 for another village's household declaration page?"""
    village, other, round_ = make.village(), make.village(), paid_round(app)
    stranger = make.household(other)
    login(client, make.team_member(village))
    assert client.get(f"/team/supply/{round_.id}/households/{stranger.id}").status_code == 404


def test_table_works_with_csrf_protection(app, client, make, csrf_on):
    """Does the generated table form carry a CSRF token that the save accepts, and refuse a post without it?"""
    village, round_ = make.village(), paid_round(app)
    household = make.household(village)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    team = make.team_member(village)
    client.post("/login", data={"login": team.login, "password": team.password, "csrf_token": token})
    page = client.get(f"/team/supply/{round_.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post(f"/team/supply/{round_.id}", data={_cell(household, round_): "3"}).status_code == 400
    assert _declared(app) == {}
    response = client.post(f"/team/supply/{round_.id}", data={_cell(household, round_): "3", "csrf_token": token})
    assert response.status_code == 302 and _declared(app) == {(household.id, round_.item_id): 3}
