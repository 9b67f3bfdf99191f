"""The dashboard's ledger summary: the same figures with or without it, new entries counted at once, no double counting."""

from datetime import timedelta

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import DashboardEarning, LedgerTransaction
from courtyard.models.types import utcnow
from courtyard.services.dashboards.dashboard_county import county_dashboard
from courtyard.services.dashboards.dashboard_summary import LAG, refresh_summary
from courtyard.services.money import ledger
from tests.dashboards.support import filters, small_county
from tests.ledger.support import NOW, accept


def _figures(app, c):
    """Every ledger-based figure for the whole county, a township, a village and the campaign."""
    with app.app_context():
        views = [filters(), filters(township_id=c.east.township_id), filters(village_id=c.west.id),
                 filters(campaign_id=c.campaign_id)]
        return [(d.overall, d.by_village, d.by_tier, d.money)
                for d in (county_dashboard(f, c.now) for f in views)]


def test_the_summary_changes_no_figure_and_later_entries_count_at_once(app, make):
    """With a reversal in the ledger, the figures are identical before and after a refresh; a second refresh
    adds nothing; goods accepted after the refresh show at once, and the next refresh does not count them twice."""
    c = small_county(app, make)
    with app.app_context():
        second = db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.household_id == c.households["second"].id))
        ledger.reverse(None, second, "wrong household", NOW)
    live = _figures(app, c)
    assert live[0][0].reached == 3  # the reversed household earned nothing in the end
    with app.app_context():
        assert refresh_summary(utcnow() + LAG) > 0
        assert refresh_summary(utcnow() + LAG - timedelta(seconds=1)) == 0  # nothing new: nothing added
        rows = db.session.scalar(select(func.count(DashboardEarning.id)))
    assert _figures(app, c) == live
    accept(app, c.households["idle"].id, c.campaign_id, c.item_id, 2)  # ¥30 more, recorded after the refresh
    with app.app_context():
        after = county_dashboard(filters(), c.now)
        assert (after.overall.reached, after.overall.earned_fen) == (4, live[0][0].earned_fen + 3000)
        refresh_summary(utcnow() + LAG)
        assert db.session.scalar(select(func.count(DashboardEarning.id))) == rows + 1
        again = county_dashboard(filters(), c.now)
    assert (again.overall, again.by_village, again.by_tier) == (after.overall, after.by_village, after.by_tier)
    assert again.summary_as_of is not None


def test_the_refresh_job_is_a_command_safe_to_run_twice(app, make):
    """Does `flask courtyard refresh-dashboard` run, and does running it again leave the figures as they were?"""
    c = small_county(app, make)
    live = _figures(app, c)
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["courtyard", "refresh-dashboard"])
        assert result.exit_code == 0, result.output
    assert _figures(app, c) == live


def test_the_county_page_says_when_the_summary_was_refreshed_and_keeps_its_figures(app, make):
    """Before any refresh the page says nothing about a summary; after one it shows its time and the same ¥37.50."""
    from tests.dashboards.test_pages import page

    small_county(app, make)
    admin = make.admin()
    url = "/county/dashboard?period=month&start=2026-12-01"
    status, before = page(app, admin, url)
    assert status == 200 and "data-summary-as-of" not in before
    with app.app_context():
        refresh_summary(utcnow() + LAG)
    status, after = page(app, admin, url)
    assert 'data-summary-as-of="' in after and 'data-figure="average-increase">¥37.50' in after
