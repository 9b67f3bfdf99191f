"""Scheduled jobs: each is also a command, and safe to run twice."""

from datetime import timedelta

from courtyard.extensions import db
from courtyard.jobs import JOBS
from courtyard.models import Campaign
from courtyard.models.types import utcnow
from tests.support.campaigns import make_campaign


def test_every_job_has_a_stable_id_and_a_command(app):
    """Is each job declared once, with a `flask courtyard <id>` command of the same name?"""
    ids = [job.id for job in JOBS]
    assert len(ids) == len(set(ids))
    commands = app.cli.commands["courtyard"].commands
    assert all(job_id in commands for job_id in ids)


def test_close_campaigns_command_closes_due_campaigns_once(app):
    """Does `flask courtyard close-campaigns` close a campaign whose time is up, and do nothing more the second time?"""
    campaign = make_campaign(app, around=utcnow() - timedelta(days=11), goal_value=5)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["courtyard", "close-campaigns"])
    second = runner.invoke(args=["courtyard", "close-campaigns"])
    assert first.exit_code == 0 and second.exit_code == 0
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        assert row.state == "failed" and [c.to_state for c in row.changes] == ["open", "failed"]


def test_expire_unpaid_command_runs(app):
    """Does the expire-unpaid command run cleanly on an empty database (no transfer expired, no card pledge released)?"""
    result = app.test_cli_runner().invoke(args=["courtyard", "expire-unpaid"])
    assert result.exit_code == 0 and "expire-unpaid: {'expired': 0, 'card_released': 0}" in result.output
