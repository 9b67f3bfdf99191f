"""Publishing an allocation tells each allocated household once, with its figures, by text and inbox."""

from datetime import timedelta

from courtyard.devservices.sms_sink import read_texts
from courtyard.extensions import db
from courtyard.messages import sending
from courtyard.models import AllocationRun, Notice, NoticeDelivery
from courtyard.services.allocation import allocation_runs
from tests.allocation_web.rounds import declare, paid_round
from tests.support.campaigns import NOW
from tests.support.factories import login


def _published_round(app, make, capacities):
    village, round_ = make.village(), paid_round(app, packages_paid=5)  # demand: 10 units
    households = [make.household(village, name=name) for name in capacities]
    declare(app, round_, {h.id: units for h, units in zip(households, capacities.values())})
    with app.app_context():
        run = allocation_runs.create_run(None, round_.id, village.id, NOW)
        allocation_runs.publish(None, run, NOW)
        units = {line.household_id: line.units for line in run.lines}
        return village, households, run.id, units


def test_publishing_queues_one_text_per_allocated_household_with_its_figures(app, make):
    """Does each household with goods get exactly one text naming its item and units, and one with none get none?"""
    village, households, run_id, units = _published_round(app, make, {"王大山": 6, "李小花": 6, "赵无货": 0})
    with app.app_context():
        notices = db.session.query(Notice).filter_by(kind="allocation_published").all()
        by_household = {n.household_id: n for n in notices}
        allocated = {hid for hid, u in units.items() if u}
        assert set(by_household) == allocated and len(notices) == len(allocated) == 2
        run = db.session.get(AllocationRun, run_id)
        item = run.lines[0].item
        for household_id in allocated:
            notice = by_household[household_id]
            assert f"{item.name} {units[household_id]} 袋" in notice.body
            assert village.name in notice.body
            [sms] = notice.deliveries
            assert sms.channel == "sms" and sms.state == "queued"
            assert sms.params["goods"].startswith(f"{item.name} {units[household_id]} 袋")
        # publishing again is refused, and nothing more is queued
        assert db.session.query(NoticeDelivery).count() == 2


def test_send_messages_twice_sends_each_text_once(app, make, sms_sink):
    """Run the job twice: does the sink hold exactly one text per household, with the figures and the sign name?"""
    _, households, _, units = _published_round(app, make, {"王大山": 6, "李小花": 6})
    with app.app_context():
        first = sending.send_pending(app.config, NOW + timedelta(minutes=1))
        second = sending.send_pending(app.config, NOW + timedelta(minutes=2))
    assert (first.sent, second.sent) == (2, 0)
    texts = read_texts(sms_sink.sink.dir)
    assert sorted(t["PhoneNumbers"] for t in texts) == sorted(h.phone for h in households)
    for household in households:
        [text] = [t for t in texts if t["PhoneNumbers"] == household.phone]
        assert text["Content"].startswith(f"【{app.config['SMS_SIGN_NAME']}】{text['TemplateParam']['village']}{household.name}您好")
        assert str(units[household.id]) in text["TemplateParam"]["goods"]
        assert text["TemplateCode"] == app.config["SMS_TEMPLATE_ALLOCATION_PUBLISHED"]


def test_the_run_page_says_how_many_were_told(app, client, make, sms_sink):
    """Does the team's allocation page say "sent to 2 households, 0 failed, 0 waiting" after the job ran?"""
    village, _, run_id, _ = _published_round(app, make, {"王大山": 6, "李小花": 6})
    with app.app_context():
        sending.send_pending(app.config, NOW + timedelta(minutes=1))
    login(client, make.team_member(village))
    page = client.get(f"/team/allocation/runs/{run_id}").get_data(as_text=True)
    assert 'data-sent="2" data-failed="0" data-waiting="0"' in page
