"""The visit pages: who sees what, the forms' messages, the public page, the .ics, the check-in page."""

from datetime import timedelta

import pytest
import time_machine
from icalendar import Calendar

from courtyard.extensions import db
from courtyard.models import Visit
from tests.support.factories import login
from tests.visits.support import NOW, STARTS, make_visit, register


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=True):
        yield


def _local(value):
    return (value + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")


def test_a_work_team_creates_a_visit_for_its_village(app, client, make):
    """Does the team's form create a visit in its own village and show it?"""
    village = make.village()
    login(client, make.team_member(village))
    response = client.post("/team/visits/new", data={
        "title": "秋收采摘日", "starts_at": _local(STARTS), "ends_at": _local(STARTS + timedelta(hours=5)),
        "meeting_point": "村委会门口", "activities": ["picking", "chickens"], "capacity": "20", "per_unit_limit": "4",
        "campaign_id": "0", "registration_deadline": _local(STARTS - timedelta(days=1)), "fee": "30",
        "village_id": "0"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        visit = db.session.query(Visit).one()
        assert (visit.village_id, visit.capacity, visit.fee_fen) == (village.id, 20, 3000)
        assert visit.activities == ["picking", "chickens"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "秋收采摘日" in page


def test_bad_visit_input_is_shown_next_to_the_field(client, make):
    """Does an end before the start come back as a message at the field, with nothing saved?"""
    village = make.village()
    login(client, make.team_member(village))
    response = client.post("/team/visits/new", data={
        "title": "采摘", "starts_at": _local(STARTS), "ends_at": _local(STARTS - timedelta(hours=1)),
        "meeting_point": "村口", "capacity": "abc", "per_unit_limit": "4", "campaign_id": "0",
        "registration_deadline": _local(STARTS - timedelta(days=1)), "village_id": "0"})
    assert response.status_code == 422
    assert 'id="capacity-error"' in response.get_data(as_text=True)


def test_a_team_sees_only_its_own_villages_visits(client, make):
    """Does another village's team get 404 on every organiser page of a visit?"""
    village, other = make.village(), make.village()
    visit_id = make_visit(client.application, village)
    login(client, make.team_member(other))
    for path in ("", "/hosts", "/reschedule", "/cancel", "/check-in"):
        assert client.get(f"/team/visits/{visit_id}{path}").status_code == 404
    assert client.post(f"/team/visits/{visit_id}/done").status_code == 404
    assert "采摘" not in client.get("/team/visits").get_data(as_text=True)


def test_the_county_organises_any_village(client, make):
    """May the county admin open any village's visit?"""
    visit_id = make_visit(client.application, make.village())
    login(client, make.admin())
    assert client.get(f"/county/visits/{visit_id}").status_code == 200


def test_a_unit_registers_and_sees_only_its_own_registrations(app, client, make):
    """Does a unit register through the form, see its waiting place, and get 404 on another unit's registration?"""
    village, unit, other = make.village(), make.unit(), make.unit()
    visit_id = make_visit(app, village, capacity=1)
    theirs = register(app, visit_id, other.id, "别家代表", "13900000001")
    login(client, make.partner_user(unit))
    response = client.post(f"/partner/visits/{visit_id}", data={"name": "我方代表", "phone": "13800000001"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "我方代表" in page and "别家代表" not in page and "13900000001" not in page
    assert "1" in page
    assert client.post(f"/partner/visits/registrations/{theirs.id}/cancel").status_code == 404
    assert client.get(f"/partner/visits/registrations/{theirs.id}.ics").status_code == 404


def test_a_bad_phone_is_shown_at_the_field(client, make):
    """Is a short phone number refused with a message next to the phone field?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(client.application, village)
    login(client, make.partner_user(unit))
    response = client.post(f"/partner/visits/{visit_id}", data={"name": "代表", "phone": "123"})
    assert response.status_code == 422 and 'id="phone-error"' in response.get_data(as_text=True)


def test_a_registration_downloads_as_a_calendar_event(app, client, make):
    """Does the .ics hold the visit's time and place for that representative?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(app, village)
    mine = register(app, visit_id, unit.id, "我方代表", "13800000001")
    login(client, make.partner_user(unit))
    response = client.get(f"/partner/visits/registrations/{mine.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == STARTS and "村委会门口" in str(event["location"])
    assert "我方代表" in str(event["description"])


def test_the_public_page_shows_no_names_or_phones(app, client, make):
    """Can anyone open the visit page, which shows seats but no representative or household names?"""
    village, unit = make.village(), make.unit()
    host = make.household(village, name="王秀芳")
    visit_id = make_visit(app, village, capacity=5)
    with app.app_context():
        from courtyard.services.visits.visit_hosts import set_hosts

        set_hosts(None, db.session.get(Visit, visit_id), {host.id: 3}, NOW)
    register(app, visit_id, unit.id, "李代表", "13800000001")
    page = client.get(f"/visits/{visit_id}").get_data(as_text=True)
    assert "秋收采摘日" in page and "村委会门口" in page
    assert "李代表" not in page and "13800000001" not in page and "王秀芳" not in page
    assert client.get("/visits/999999").status_code == 404


def test_check_in_marks_attendance_on_the_day(app, client, make):
    """On the day, does the check-in page mark a representative attended and count it for the unit?"""
    village, unit = make.village(), make.unit()
    visit_id = make_visit(app, village)
    mine = register(app, visit_id, unit.id, "李代表", "13800000001")
    login(client, make.team_member(village))
    with time_machine.travel(STARTS, tick=True):
        page = client.get(f"/team/visits/{visit_id}/check-in").get_data(as_text=True)
        assert "李代表" in page and "13800000001" not in page and "138****0001" in page
        response = client.post(f"/team/visits/{visit_id}/check-in/{mine.id}/attended", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="r{mine.id}" class="checkin-row checkin-attended"' in page
    assert "1 人中到了 1 人" in page


def test_the_edit_page_keeps_the_time_and_saves_the_rest(app, client, make):
    """Does the edit form show the visit's details and save a new meeting point without moving the date?"""
    village = make.village()
    visit_id = make_visit(app, village)
    login(client, make.team_member(village))
    page = client.get(f"/team/visits/{visit_id}/edit").get_data(as_text=True)
    assert "村委会门口" in page and 'name="starts_at"' not in page
    response = client.post(f"/team/visits/{visit_id}/edit", data={
        "title": "秋收采摘日", "meeting_point": "村小学门口", "capacity": "3", "per_unit_limit": "3", "campaign_id": "0",
        "registration_deadline": _local(STARTS - timedelta(days=1))})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.meeting_point == "村小学门口" and visit.starts_at == STARTS
