"""What is said, to whom: a round's cut-off, collection day (accepted, rejected, a shortfall moved), the
evening-before reminder, a PIN reset, a payout — each told once, with the figures, in the change's transaction."""

from datetime import datetime, timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.messages import reminders
from courtyard.models import (
    AllocationLine, AllocationRun, CollectionDay, DeliveryRound, Household, Notice, User,
)
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.identity import accounts
from courtyard.services.money import payouts
from courtyard.services.supply import collection
from tests.deliveries.rounds import planned_round
from tests.support.factories import login


def _allocated(app, make, capacities=(4, 4, 4)):
    r = planned_round(app, make, capacities=capacities)
    r.team = make.team_member(r.village)
    with app.app_context():
        db.session.get(User, r.team.id).phone = "13700001111"
        db.session.commit()
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        r.now = round_.cutoff_at + timedelta(days=1)
        r.lines = {l.household_id: l.units for l in db.session.scalars(
            select(AllocationLine).join(AllocationRun).where(AllocationRun.round_id == round_.id))}
    return r


def _notices(kind):
    return db.session.scalars(select(Notice).where(Notice.kind == kind).order_by(Notice.id)).all()


def test_a_rounds_cutoff_tells_households_when_and_where_and_the_team_to_review(app, make):
    """Does each allocated household's text name the collection day's time and place, and the team hear of it?"""
    r = _allocated(app, make)
    with app.app_context():
        day = db.session.scalar(select(CollectionDay))
        local = day.starts_at.astimezone(LOCAL_ZONE)
        texts = _notices("allocation_published")
        assert {n.household_id for n in texts} == {h for h, units in r.lines.items() if units}
        assert all(f"{local.month}月{local.day}日 {local:%H:%M}" in n.body and day.place in n.body for n in texts)
        [team] = _notices("round_cutoff")
        assert team.user_id == r.team.id and "已截单" in team.body
        assert team.deliveries[0].address == "13700001111"


def test_collection_day_tells_what_was_accepted_rejected_and_moved(app, make):
    """A household brings one unit less, one rejected for a reason: is it told both (with the reason and what it
    earns), and is the household that takes over the unit told what more to bring?"""
    r = _allocated(app, make, capacities=(4, 4, 8))
    short = next(h for h, units in r.lines.items() if units >= 2)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        collection.record_collection(None, round_, short, r.item_id, r.lines[short] - 1, 1, "菜叶发黄", r.now)
        [accepted] = _notices("goods_accepted")
        [rejected] = _notices("goods_rejected")
        assert accepted.household_id == rejected.household_id == short
        assert f"{(r.lines[short] - 1) * 15}.00元" in accepted.body and accepted.money
        assert "菜叶发黄" in rejected.body
        moved = _notices("shortfall_assigned")
        assert moved and all(n.household_id != short for n in moved) and all("补交" in n.body for n in moved)


def test_the_evening_before_collection_each_household_is_reminded_once(app, make):
    """At 18:00 the day before, is each allocated household reminded once however often the job runs, and not before?"""
    r = _allocated(app, make)
    with app.app_context():
        day = db.session.scalar(select(CollectionDay))
        local = day.starts_at.astimezone(LOCAL_ZONE)
        evening = datetime.combine(local.date() - timedelta(days=1), reminders.EVENING, tzinfo=LOCAL_ZONE)
        reminders.queue_due(evening - timedelta(minutes=5))
        assert _notices("collection_reminder") == []
        reminders.queue_due(evening)
        reminders.queue_due(evening + timedelta(hours=1))
        reminded = _notices("collection_reminder")
        assert sorted(n.household_id for n in reminded) == sorted(h for h, units in r.lines.items() if units)


def test_a_pin_reset_is_told_without_the_pin(app, make):
    """Is the first PIN not announced, and a reset told to the household without the new PIN in it?"""
    household = make.household(make.village())
    with app.app_context():
        accounts.set_household_pin(None, db.session.get(Household, household.id), "135790")
        assert _notices("pin_reset") == []
        accounts.set_household_pin(None, db.session.get(Household, household.id), "864213")
        [notice] = _notices("pin_reset")
        assert notice.household_id == household.id and "864213" not in notice.body and "重置" in notice.body
        assert "864213" not in str(notice.deliveries[0].params)


def test_a_payout_batch_tells_each_household_its_amount_and_card(app, client, make):
    """After the team pays the village by bank: is each household told its amount and card's last 4, and does the
    batch page list them?"""
    r = _allocated(app, make)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        paid = [h for h, units in r.lines.items() if units]
        for household_id in paid:
            collection.record_collection(None, round_, household_id, r.item_id, r.lines[household_id], 0, "", r.now)
        batch = payouts.pay_village(None, r.village.id, "bank", r.now)
        batch_id = batch.id
        texts = _notices("payout_made")
        assert sorted(n.household_id for n in texts) == sorted(paid)
        for notice in texts:
            household = db.session.get(Household, notice.household_id)
            assert f"{r.lines[household.id] * 15}.00元" in notice.body and household.bank_card_last4 in notice.body
    login(client, r.team)
    page = client.get(f"/team/money/batches/{batch_id}").get_data(as_text=True)
    assert f'data-sent="0" data-failed="0" data-waiting="{len(paid)}"' in page


def test_the_county_hears_of_a_failed_job_and_a_complaint_near_its_limit_once(app, make):
    """A failed job and a complaint 5 h from its 48 h limit: is each county admin told once, however often it runs?"""
    from courtyard.models import Delivery, DeliveryComplaint, JobLease
    from courtyard.models.types import utcnow

    r = _allocated(app, make)
    admin = make.admin()
    now = utcnow()
    with app.app_context():
        db.session.get(User, admin.id).phone = "13600002222"
        db.session.add(JobLease(job_id="send-mail", run_key="2026-12-07T10:00:00", holder="h", expires_at=now,
                                outcome="failed", error="boom"))
        delivery = db.session.scalar(select(Delivery))
        db.session.add(DeliveryComplaint(delivery_id=delivery.id, description="少了两盒", reported_at=now,
                                         response_due_at=now + timedelta(hours=5)))
        db.session.commit()
        reminders.queue_due(now)
        reminders.queue_due(now + timedelta(minutes=1))
        [job] = _notices("job_failed")
        [complaint] = _notices("complaint_due")
        assert job.user_id == complaint.user_id == admin.id and "send-mail" in job.body
        assert complaint.deliveries[0].address == "13600002222"


def test_teams_hear_on_monday_morning_of_payouts_waiting(app, make):
    """Once collected goods are owed: does the team hear on Monday 09:00 how many households wait for how much, once?"""
    r = _allocated(app, make)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        owed = [h for h, units in r.lines.items() if units]
        for household_id in owed:
            collection.record_collection(None, round_, household_id, r.item_id, r.lines[household_id], 0, "", r.now)
        local = r.now.astimezone(LOCAL_ZONE)
        monday = datetime.combine(local.date() + timedelta(days=7 - local.weekday()), reminders.WEEKLY, tzinfo=LOCAL_ZONE)
        reminders.queue_due(monday - timedelta(minutes=1))
        assert _notices("payouts_waiting") == []
        reminders.queue_due(monday)
        reminders.queue_due(monday + timedelta(hours=2))
        [notice] = _notices("payouts_waiting")
        total = sum(r.lines[h] for h in owed) * 15
        assert notice.user_id == r.team.id and f"有{len(owed)}户共{total}.00元" in notice.body


def test_a_host_household_is_told_of_its_visitors_two_days_before(app, make):
    """Two days before a picking visit: is the host with visitors told when, how many and the fee, once?"""
    from courtyard.models import Visit
    from courtyard.services.visits import visit_hosts
    from tests.visits.support import STARTS, make_visit, register

    village = make.village()
    host = make.household(village, name="张桂芳")
    visit_id = make_visit(app, village, capacity=10, per_unit_limit=10, fee_fen=5000)
    with app.app_context():
        visit_hosts.set_hosts(None, db.session.get(Visit, visit_id), {host.id: 4}, STARTS - timedelta(days=9))
    unit = make.unit()
    for n in range(2):
        register(app, visit_id, unit.id, f"代表{n}", f"1380000000{n}")
    with app.app_context():
        reminders.queue_due(STARTS - timedelta(days=3))
        assert _notices("visit_hosted") == []
        reminders.queue_due(STARTS - timedelta(days=2))
        reminders.queue_due(STARTS - timedelta(days=1))
        [notice] = _notices("visit_hosted")
        assert notice.household_id == host.id and "有2位客人到您家，每位50.00元" in notice.body
