"""The county's reconciliation reads a rollup kept by the dashboard job, yet always shows what a sum of every ledger
entry shows: after a season of postings (payments, refunds, goods, hosting fees, costs, payouts and reversals of each
kind), with the summary refreshed before, between and after them, and when the job has never run; and so do
the villages' totals owed to their households."""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import Household, LedgerEntry, LedgerRollup, LedgerTransaction, Pledge
from courtyard.models.types import utcnow
from courtyard.services.dashboards.dashboard_summary import LAG, refresh_summary, summarised_before
from courtyard.services.money import ledger, payouts
from courtyard.services.money.ledger import KIND, ORIGINAL
from courtyard.services.money.ledger_rollup import owed_by_village
from courtyard.services.money.reconciliation import reconciliation, reconciliation_and_balance
from courtyard.services.payments import card_settlement
from tests.support.money import NOW, accept, paid_campaign
from tests.support.factories import Factory, login


def _summed_directly():
    """{campaign: (received, refunded, produce, hosting, logistics, packaging, paid out, owed, debits, credits)}
    summed from every ledger entry, the way the page summed them before it had a rollup."""
    sums = defaultdict(lambda: defaultdict(int))
    debits, credits = defaultdict(int), defaultdict(int)
    for campaign_id, account, kind, amount in db.session.execute(
            select(LedgerEntry.campaign_id, LedgerEntry.account, KIND, LedgerEntry.amount_fen)
            .join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
            .outerjoin(ORIGINAL, ORIGINAL.id == LedgerTransaction.reverses_id)):
        sums[campaign_id][account, kind] += amount
        debits[campaign_id] += max(amount, 0)
        credits[campaign_id] += max(-amount, 0)

    def total(s, account, kinds=None):
        return sum(v for (a, k), v in s.items() if a == account and (kinds is None or k in kinds))

    return {c: (-total(s, "unit_funds", ("payment_captured", "transfer_received")), total(s, "unit_funds", ("refund",)),
                total(s, "produce_cost"), total(s, "hosting_cost"), total(s, "logistics_cost"),
                total(s, "packaging_cost"), total(s, "household_payable", ("payout",)), -total(s, "household_payable"),
                debits[c], credits[c]) for c, s in sums.items()}


def _shown(rows):
    return {r.campaign_id: (r.captured_fen, r.refunded_fen, r.produce_fen, r.hosting_fen, r.logistics_fen,
                            r.packaging_fen, r.paid_to_households_fen, r.owed_to_households_fen, r.debits_fen,
                            r.credits_fen) for r in rows}


def _assert_equal_to_the_ledger():
    rows, balanced = reconciliation_and_balance()
    assert _shown(rows) == _summed_directly()
    assert _shown(reconciliation()) == _shown(rows)
    assert balanced == ledger.trial_balance()[1] is True
    by_village = defaultdict(int)
    for village_id, amount in db.session.execute(
            select(Household.village_id, LedgerEntry.amount_fen).join(Household, Household.id == LedgerEntry.household_id)
            .where(LedgerEntry.account == "household_payable")):
        by_village[village_id] -= amount
    assert owed_by_village(summarised_before()) == {v: fen for v, fen in by_village.items() if fen}
    return rows


def _refresh():
    """The job's refresh, taking everything recorded until now (as if LAG had passed)."""
    return refresh_summary(utcnow() + LAG)


def test_reconciliation_equals_the_ledger_through_a_season_with_reversals(app):
    """Refreshing at any point between postings never changes what the reconciliation shows from a direct sum."""
    campaign_id, item_id, pledge_id = paid_campaign(app, quantity=4)
    factory = Factory(app)
    village = factory.village()
    households = [factory.household(village).id for _ in range(3)]
    with app.app_context():
        _assert_equal_to_the_ledger()  # the job never ran: everything is summed live
        assert db.session.scalar(select(func.count()).select_from(LedgerRollup)) == 0

    first = [accept(app, h, campaign_id, item_id, 5 + i, at=NOW + timedelta(hours=i)) for i, h in enumerate(households)]
    with app.app_context():
        ledger.post_hosting_fee(households[0], "visit:1", 3000, NOW, "test:hosting:1", campaign_id=campaign_id)
        ledger.post_cost(campaign_id, "logistics", 12000, "trucks", NOW, None)
        db.session.commit()
        before = _assert_equal_to_the_ledger()
        assert _refresh() > 0
        assert db.session.scalar(select(func.count()).select_from(LedgerRollup)) > 0
        assert _shown(_assert_equal_to_the_ledger()) == _shown(before)

        # after the refresh: reversals of lines the rollup holds, a refund, payouts, more goods and costs
        ledger.reverse(None, db.session.get(LedgerTransaction, first[1]), "rotten after all", NOW + timedelta(days=1))
        card_settlement.refund(db.session.get(Pledge, pledge_id), 5000, "one box short", None, now=NOW)
        batch = payouts.pay_village(None, village.id, "bank", NOW + timedelta(days=2))
        ledger.post_cost(campaign_id, "packaging", 4000, "boxes", NOW + timedelta(days=2), None)
        db.session.commit()
        _assert_equal_to_the_ledger()

        _refresh()
        _assert_equal_to_the_ledger()
        payout = batch.payouts[0]
        ledger.reverse(None, payout, "bank returned it", NOW + timedelta(days=3))  # a reversal after the next refresh
        db.session.commit()
    second = accept(app, households[2], campaign_id, item_id, 7, at=NOW + timedelta(days=4))
    with app.app_context():
        ledger.reverse(None, db.session.get(LedgerTransaction, second), "counted twice", NOW + timedelta(days=4))
        db.session.commit()
        rows = _assert_equal_to_the_ledger()
        _refresh()
        assert _shown(_assert_equal_to_the_ledger()) == _shown(rows)
        row = next(r for r in rows if r.campaign_id == campaign_id)
        assert row.refunded_fen == 5000 and row.logistics_fen == 12000 and row.packaging_fen == 4000
        assert row.owed_to_households_fen == sum(ledger.owed_fen(h) for h in households) > 0
        assert _refresh() == 0  # nothing new: the rollup is not added to twice
        assert _shown(_assert_equal_to_the_ledger()) == _shown(rows)


def test_the_county_page_shows_the_rollup_and_the_live_part(app, client, make):
    """The county's reconciliation page shows goods accepted after the last refresh as well as before it."""
    campaign_id, item_id, _pledge_id = paid_campaign(app)
    household_id = make.household(make.village()).id
    accept(app, household_id, campaign_id, item_id, 10, price_fen=1000)
    with app.app_context():
        _refresh()
    accept(app, household_id, campaign_id, item_id, 2, price_fen=1000, at=NOW + timedelta(days=1))
    with app.app_context():
        owed = ledger.owed_fen(household_id)
        assert owed == 12000 and db.session.get(Household, household_id) is not None
    login(client, make.admin())
    page = client.get("/county/reconciliation").get_data(as_text=True)
    assert 'data-balanced="yes"' in page
    assert "¥120.00" in page  # earned and owed: 100.00 from the rollup plus 20.00 recorded since
