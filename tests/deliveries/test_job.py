"""The allocate-rounds job, run as `flask courtyard allocate-rounds`."""

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import AllocationRun, DeliveryRound


def test_allocate_rounds_command_allocates_due_rounds_once(app, planned):
    """Run at the cut-off twice: is the first round allocated once (one run), and the later round left alone?"""
    with app.app_context():
        cutoff = db.session.get(DeliveryRound, planned.round_ids[0]).cutoff_at
    runner = app.test_cli_runner()
    with time_machine.travel(cutoff + timedelta(minutes=5), tick=False):
        first = runner.invoke(args=["courtyard", "allocate-rounds"])
    with time_machine.travel(cutoff + timedelta(minutes=6), tick=False):
        second = runner.invoke(args=["courtyard", "allocate-rounds"])
    assert "allocate-rounds: 1" in first.output and "allocate-rounds: 0" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(AllocationRun.id))) == 1
        assert [db.session.get(DeliveryRound, i).state for i in planned.round_ids] == ["allocated", "scheduled"]
