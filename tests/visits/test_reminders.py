"""Reminders two days and two hours before: one letter per unit per kind, never twice, again after a move."""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import OutboxMessage, Visit
from courtyard.services.visits import visits
from courtyard.services.visits.visit_reminders import send_reminders
from tests.visits.support import STARTS, make_visit, register, unit_with_mail


def _remind(app, now):
    with app.app_context():
        return send_reminders(now)


def _subjects(app):
    with app.app_context():
        return [m.subject for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_each_reminder_goes_once_per_unit_even_when_the_job_runs_twice(app, make):
    """Does a unit with two representatives get one two-day and one two-hour letter, however often the job runs?"""
    village, unit = make.village(), unit_with_mail(app, make)
    visit_id = make_visit(app, village)
    register(app, visit_id, unit.id, "甲", "13800000001")
    register(app, visit_id, unit.id, "乙", "13800000002")
    assert _remind(app, STARTS - timedelta(days=3)) == 0
    assert _remind(app, STARTS - timedelta(days=2)) == 1
    assert _remind(app, STARTS - timedelta(days=1)) == 0
    assert _remind(app, STARTS - timedelta(hours=2)) == 1
    assert _remind(app, STARTS - timedelta(hours=1)) == 0
    subjects = _subjects(app)
    assert len(subjects) == 2 and "秋收采摘日" in subjects[0]


def test_a_moved_visit_is_reminded_again_for_its_new_date(app, make):
    """After the date moves, does the two-day reminder go out again for the new date?"""
    village, unit = make.village(), unit_with_mail(app, make)
    visit_id = make_visit(app, village)
    register(app, visit_id, unit.id, "甲", "13800000001")
    assert _remind(app, STARTS - timedelta(days=2)) == 1
    new_start = STARTS + timedelta(days=4)
    with app.app_context():
        visits.reschedule(None, db.session.get(Visit, visit_id), new_start, new_start + timedelta(hours=4), "雨",
                          STARTS - timedelta(days=2))
    assert _remind(app, new_start - timedelta(days=2)) == 1
    assert len(_subjects(app)) == 3  # two-day, moved, two-day again


def test_a_late_registration_gets_only_the_two_hour_reminder(app, make):
    """Is a representative first reminded inside two hours sent one letter, not two?"""
    village, unit = make.village(), unit_with_mail(app, make)
    visit_id = make_visit(app, village, registration_deadline=STARTS)
    register(app, visit_id, unit.id, "甲", "13800000001")
    assert _remind(app, STARTS - timedelta(hours=1)) == 1
    assert _remind(app, STARTS - timedelta(minutes=30)) == 0


def test_the_job_is_a_command(app):
    """Is there a ``flask courtyard visit-reminders`` command that runs the job?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courtyard", "visit-reminders"])
    assert result.exit_code == 0, result.output
    assert "visit-reminders: 0" in result.output
