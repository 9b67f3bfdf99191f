"""Statement periods and figures: local-time boundaries, opening balances, reversals shown as corrections."""

from datetime import date, datetime, timedelta

import pytest

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE, period_of
from courtyard.models import Household, LedgerTransaction
from courtyard.services.money import ledger, payouts
from courtyard.services.money.statements import statement_data
from tests.ledger.support import accept, paid_campaign


@pytest.mark.parametrize("kind, day, start, end", [
    ("month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 3, 1)),
    ("month", date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1)),
    ("season", date(2026, 5, 9), date(2026, 4, 1), date(2026, 7, 1)),
    ("season", date(2026, 11, 30), date(2026, 10, 1), date(2027, 1, 1)),
    ("year", date(2026, 7, 1), date(2026, 1, 1), date(2027, 1, 1)),
])
def test_periods_cover_whole_local_months_seasons_and_years(kind, day, start, end):
    """Each period starts on its first local day and ends the day after its last."""
    period = period_of(kind, day)
    assert (period.start, period.end) == (start, end)


def test_a_custom_period_includes_its_last_day():
    assert period_of("custom", date(2026, 3, 5), date(2026, 3, 9)).end == date(2026, 3, 10)


def test_a_statement_starts_from_what_was_owed_before_and_ends_at_the_balance(app, make):
    """Earnings in November are the opening balance of December; December's payout and a correction are its lines.

    A delivery at 23:30 on 30 November Beijing time (15:30 UTC) belongs to November."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    late_november = datetime(2026, 11, 30, 23, 30, tzinfo=LOCAL_ZONE)
    accept(app, household.id, campaign_id, item_id, 4, at=late_november)
    wrong = accept(app, household.id, campaign_id, item_id, 1, at=late_november + timedelta(days=2))
    with app.app_context():
        row = db.session.get(Household, household.id)
        payouts.record_payout(None, row, 3000, "bank", "YH9", late_november + timedelta(days=3))
        ledger.reverse(None, db.session.get(LedgerTransaction, wrong), "数错了", late_november + timedelta(days=4))
        november = statement_data(row, period_of("month", date(2026, 11, 1)))
        december = statement_data(row, period_of("month", date(2026, 12, 1)))
        assert (november.earned_fen, november.closing_fen) == (6000, 6000)
        assert december.opening_fen == 6000
        assert [(l.kind, l.reversal, l.earned_fen, l.paid_fen) for l in december.lines] == [
            ("goods_accepted", False, 1500, 0), ("payout", False, 0, 3000), ("goods_accepted", True, -1500, 0)]
        assert december.closing_fen == ledger.owed_fen(household.id) == 3000
