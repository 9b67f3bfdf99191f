"""The inbox: each user reads their own messages (count in the navigation, read/unread), and nobody else's."""

from courtyard.extensions import db
from courtyard.messages import recipients
from courtyard.messages.queue import tell
from courtyard.models import Household, NoticeDelivery, PartnerUnit
from courtyard.models.types import utcnow
from tests.support.factories import login, pin_login


def _tell_household(app, household_id, kind="payout_made", **params):
    with app.app_context():
        household = db.session.get(Household, household_id)
        values = {"name": household.head_name, "amount": "123.40", "last4": "6789"} | params
        notice = tell(kind, recipients.household(household), values, subject=("payout", household_id), now=utcnow())
        db.session.commit()
        return notice.id


def test_a_household_reads_its_messages_and_the_count_goes_down(app, client, make):
    """Does the navigation count the unread message, the list show it, opening it mark it read?"""
    household = make.household(make.village(), with_pin=True)
    notice_id = _tell_household(app, household.id)
    pin_login(client, household)
    home = client.get("/household/").get_data(as_text=True)
    assert 'data-inbox-unread="1"' in home
    listing = client.get("/messages/").get_data(as_text=True)
    assert "123.40元货款已转入您尾号6789的银行卡" in listing and 'class="unread"' in listing
    message = client.get(f"/messages/{notice_id}").get_data(as_text=True)
    assert "货款已发放" in message
    assert 'data-inbox-unread="0"' in client.get("/messages/").get_data(as_text=True)


def test_another_household_cannot_see_them(app, client, make):
    """Is a household's message missing from a neighbour's inbox, and its page a 404 for them?"""
    village = make.village()
    owner, neighbour = make.household(village, with_pin=True), make.household(village, with_pin=True)
    notice_id = _tell_household(app, owner.id)
    pin_login(client, neighbour)
    assert "123.40" not in client.get("/messages/").get_data(as_text=True)
    assert client.get(f"/messages/{notice_id}").status_code == 404
    team = make.team_member(village)
    client.post("/logout")
    login(client, team)
    assert client.get(f"/messages/{notice_id}").status_code == 404  # the team sees the record, not the inbox


def test_a_unit_sees_its_pledge_messages_and_marks_all_read(app, client, make):
    """A unit's message reaches each of its users' inbox; does "mark all as read" clear the count?"""
    unit = make.unit()
    first, second = make.partner_user(unit), make.partner_user(unit)
    with app.app_context():
        tell("pledge_paid", recipients.unit(db.session.get(PartnerUnit, unit.id)),
             {"unit": unit.name, "reference": "P-1", "amount": "99.00"}, subject=("pledge", 1), now=utcnow())
        db.session.commit()
    login(client, first)
    assert 'data-inbox-unread="1"' in client.get("/messages/").get_data(as_text=True)
    client.post("/messages/read")
    assert 'data-inbox-unread="0"' in client.get("/messages/").get_data(as_text=True)
    client.post("/logout")
    login(client, second)
    assert "认购P-1已付款99.00元" in client.get("/messages/").get_data(as_text=True)


def test_a_team_turns_texts_off_for_a_household_but_money_still_reaches_its_inbox(app, client, make, login_as):
    """After the team unticks texts for a household: no text is queued, yet a payout message is still in the inbox."""
    village = make.village()
    household = make.household(village, with_pin=True)
    login_as("team", of=village)
    response = client.post(f"/messages/households/{household.id}/preferences",
                           data={"payout_made__inbox": "", "payout_made__sms": "", "pin_reset__inbox": "y"})
    assert response.status_code == 302
    notice_id = _tell_household(app, household.id)
    with app.app_context():
        assert db.session.query(NoticeDelivery).count() == 0
    client.post("/logout")
    pin_login(client, household)
    assert client.get(f"/messages/{notice_id}").status_code == 200


def test_another_team_cannot_set_a_households_choices(app, client, make):
    """Is another village's team answered 404 on a household's choices?"""
    household = make.household(make.village())
    login(client, make.team_member(make.village()))
    assert client.get(f"/messages/households/{household.id}/preferences").status_code == 404


def test_numbers_are_masked_except_for_the_villages_own_team(app, client, make):
    """On a payout batch's record, does the county see 139****0000 where the village's team sees the number?"""
    from courtyard.inbox.record_views import shown_phone
    from courtyard.models import Notice

    village = make.village()
    household = make.household(village, phone="13912340000")
    notice_id = _tell_household(app, household.id)
    for user, expected in ((make.team_member(village), "13912340000"), (make.admin(), "139****0000"),
                           (make.team_member(make.village()), "139****0000")):
        with app.test_request_context():
            from flask_login import login_user

            from courtyard.models import User

            login_user(db.session.get(User, user.id))
            notice = db.session.get(Notice, notice_id)
            assert shown_phone(notice.deliveries[0], notice) == expected
