"""Random sequences of money events never unbalance the ledger or owe a household less than nothing.

A hypothesis state machine pledges, receives payments, refunds, allocates the village's supply (and
publishes it), cancels pledges after allocation, accepts goods from households, reverses acceptances
(goods rejected after all, and through the reversal page's service, whose announced effect must come
true), pays households one by one or a whole village, and reverses payouts. After every step: debits
equal credits, every campaign balances on its own, no household is owed a negative amount, each
household's statement ends at its ledger balance, that balance is what a simple model of the events
expects, and no allocation serves a withdrawn pledge or more than its pledges' demand.
"""

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.localtime import period_of
from courtyard.models import AllocationRun, Household, LedgerEntry, LedgerTransaction, Pledge, ProduceItem
from courtyard.services.allocation import allocation_runs, demand_split
from courtyard.services.money import ledger, ledger_reversals, payouts
from courtyard.services.money.reconciliation import reconciliation
from courtyard.services.money.statements import statement_data
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from courtyard.services.pledges.transfer_holds import MAX_OPEN_TRANSFERS
from courtyard.services.supply import supply
from tests.ledger.support import NOW
from tests.support.campaigns import make_buyer, make_campaign
from tests.support.databases import wipe_rows
from tests.support.factories import Factory

HOUSEHOLDS = 3


def test_the_ledger_stays_balanced_under_random_money_events(app):
    """Balanced, never negative, statements equal balances, after every step of every sequence."""

    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            with app.app_context():
                db.session.remove()
                wipe_rows(db)
            factory = Factory(app)
            village = factory.village()
            self.village_id = village.id
            self.households = [factory.household(village).id for _ in range(HOUSEHOLDS)]
            campaign = make_campaign(app, cap=10_000, mode="flexible", price_fen=5000)
            self.campaign_id, self.offer_id = campaign.id, campaign.offer_ids[0]
            self.units = [make_buyer(app) for _ in range(2)]
            self.context = app.app_context()
            self.context.push()
            self.item_id = db.session.scalar(select(ProduceItem.id).where(ProduceItem.name == "土豆0"))
            for household_id in self.households:
                supply.record(None, db.session.get(Household, household_id), self.campaign_id, self.item_id, 40, NOW)
            db.session.commit()
            self.expected = dict.fromkeys(self.households, 0)
            self.paid = {}  # pledge id -> refundable fen
            self.received = 0  # fen that came in for pledges
            self.open = []  # pledges waiting for their transfer
            self.acceptances = []  # (transaction id, household id, fen)
            self.payouts = []  # (transaction id, household id, fen)
            self.clock = NOW

        def teardown(self):
            db.session.remove()
            self.context.pop()

        def _tick(self):
            self.clock += timedelta(hours=7)
            return self.clock

        @rule(unit=st.integers(0, 1), quantity=st.integers(1, 3), pay=st.booleans())
        def pledge(self, unit, quantity, pay):
            buyer = self.units[unit]
            if db.session.scalar(select(func.count(Pledge.id)).where(
                    Pledge.unit_id == buyer.id, Pledge.state == "awaiting_transfer")) >= MAX_OPEN_TRANSFERS:
                return  # a unit keeps at most this many unpaid transfers open (services/transfer_holds.py)
            pledge = pledges.create_pledge(None, buyer.id, self.campaign_id,
                                           [LineInput(self.offer_id, buyer.address_ids[0], quantity)], "transfer", NOW)
            if pay:
                pledges.record_transfer(None, pledge, pledge.total_fen, "B", self._tick(), NOW)
                self.paid[pledge.id] = pledge.total_fen
                self.received += pledge.total_fen
            else:
                self.open.append(pledge.id)

        @rule(publish=st.booleans())
        def allocate(self, publish):
            """The team allocates the village's share (again, while a draft) and may publish it."""
            run = db.session.scalar(select(AllocationRun).where(AllocationRun.campaign_id == self.campaign_id)
                                    .order_by(AllocationRun.id.desc()))
            now = self._tick()
            if run is None:
                run = allocation_runs.create_run(None, self.campaign_id, self.village_id, now)
            elif run.state == "draft":
                allocation_runs.rerun(None, run, now)
            if publish and run.state == "draft":
                allocation_runs.publish(None, run, now)

        @precondition(lambda self: self.paid or self.open)
        @rule(data=st.data())
        def cancel(self, data):
            """The unit cancels a pledge after allocation: paid ones are refunded in full, its supply released."""
            pledge_id = data.draw(st.sampled_from(sorted(self.paid) + sorted(self.open)))
            card_settlement.cancel_by_unit(db.session.get(Pledge, pledge_id), None, self._tick())
            self.paid.pop(pledge_id, None)
            if pledge_id in self.open:
                self.open.remove(pledge_id)
        @precondition(lambda self: self.paid)
        @rule(data=st.data())
        def refund(self, data):
            pledge_id = data.draw(st.sampled_from(sorted(self.paid)))
            amount = data.draw(st.integers(1, 12_000))
            pledge = db.session.get(Pledge, pledge_id)
            try:
                card_settlement.refund(pledge, amount, "test", None, now=self._tick())
            except DomainError:
                assert amount > self.paid[pledge_id]
            else:
                assert amount <= self.paid[pledge_id]
                self.paid[pledge_id] -= amount
                if not self.paid[pledge_id]:
                    del self.paid[pledge_id]

        @rule(household=st.integers(0, HOUSEHOLDS - 1), units=st.integers(1, 20), price=st.integers(1, 9000))
        def collect(self, household, units, price):
            household_id = self.households[household]
            transaction = ledger.post_goods_accepted(household_id, self.campaign_id, self.item_id, units, price,
                                                     self._tick(), f"collect:{len(self.acceptances)}:{self.clock}")
            db.session.commit()
            self.acceptances.append((transaction.id, household_id, units * price))
            self.expected[household_id] += units * price

        @precondition(lambda self: self.acceptances)
        @rule(data=st.data())
        def reject(self, data):
            """Goods booked as accepted turn out rejected: the acceptance is reversed, unless already paid out."""
            transaction_id, household_id, amount = data.draw(st.sampled_from(self.acceptances))
            try:
                ledger.reverse(None, db.session.get(LedgerTransaction, transaction_id), "rejected at collection",
                               self._tick())
            except DomainError:
                assert amount > self.expected[household_id]
            else:
                self.acceptances.remove((transaction_id, household_id, amount))
                self.expected[household_id] -= amount

        @precondition(lambda self: self.acceptances)
        @rule(data=st.data())
        def reverse_on_the_page(self, data):
            """The team reverses an acceptance on the reversal page: the effect it announced is what happens."""
            transaction_id, household_id, amount = data.draw(st.sampled_from(self.acceptances))
            transaction = db.session.get(LedgerTransaction, transaction_id)
            effect = ledger_reversals.effect(transaction)
            try:
                ledger_reversals.reverse_line(None, transaction, "交错了户", self._tick())
            except DomainError:
                assert effect.problem and amount > self.expected[household_id]
            else:
                assert not effect.problem and effect.change_fen == -amount
                assert ledger.owed_fen(household_id) == effect.owed_after_fen
                self.acceptances.remove((transaction_id, household_id, amount))
                self.expected[household_id] -= amount

        @rule(household=st.integers(0, HOUSEHOLDS - 1), amount=st.integers(1, 60_000), cash=st.booleans())
        def pay(self, household, amount, cash):
            household_id = self.households[household]
            try:
                payout = payouts.record_payout(None, db.session.get(Household, household_id), amount,
                                               "cash" if cash else "bank", "R1", self._tick())
            except DomainError:
                assert amount > self.expected[household_id]
            else:
                assert amount <= self.expected[household_id]
                self.payouts.append((payout.id, household_id, amount))
                self.expected[household_id] -= amount

        @rule()
        def pay_village(self):
            owed = {h: v for h, v in self.expected.items() if v > 0}
            try:
                batch = payouts.pay_village(None, self.village_id, "bank", self._tick())
            except DomainError:
                assert not owed
            else:
                assert {p.household_id: p.amount_fen for p in batch.payouts} == owed
                self.payouts += [(p.id, p.household_id, p.amount_fen) for p in batch.payouts]
                for household_id in owed:
                    self.expected[household_id] = 0

        @precondition(lambda self: self.payouts)
        @rule(data=st.data())
        def reverse_payout(self, data):
            transaction_id, household_id, amount = data.draw(st.sampled_from(self.payouts))
            ledger.reverse(None, db.session.get(LedgerTransaction, transaction_id), "bank returned it", self._tick())
            self.payouts.remove((transaction_id, household_id, amount))
            self.expected[household_id] += amount

        @invariant()
        def debits_equal_credits(self):
            _balances, balanced = ledger.trial_balance()
            assert balanced
            per_campaign = db.session.execute(select(LedgerEntry.campaign_id, func.sum(LedgerEntry.amount_fen))
                                              .group_by(LedgerEntry.campaign_id)).all()
            assert all(total == 0 for _campaign, total in per_campaign)
            rows = reconciliation()
            assert all(row.balanced for row in rows)
            assert sum(row.owed_to_households_fen for row in rows) == sum(self.expected.values())

        @invariant()
        def allocations_serve_only_live_pledges(self):
            live = {p.id for p in demand_split.counted_pledges(self.campaign_id)}
            for run in db.session.scalars(select(AllocationRun)):
                served = set(run.summary.get("pledge_ids", []))
                assert served <= live
                demand = allocation_runs.campaign_demand(self.campaign_id, served)
                for key, row in run.summary.get("items", {}).items():
                    assert row["demand"] == demand.get(int(key), 0)
                    assert sum(l.units for l in run.lines if str(l.item_id) == key) <= row["demand"]

        @invariant()
        def households_are_never_owed_less_than_nothing(self):
            for household_id in self.households:
                assert ledger.owed_fen(household_id) >= 0
                assert all(v >= 0 for v in ledger.owed_by_campaign(household_id).values())

        @invariant()
        def statements_equal_balances(self):
            everything = period_of("custom", (NOW - timedelta(days=1)).date(), (self.clock + timedelta(days=1)).date())
            for household_id in self.households:
                statement = statement_data(db.session.get(Household, household_id), everything)
                assert statement.opening_fen == 0
                assert statement.closing_fen == ledger.owed_fen(household_id) == self.expected[household_id]

        @invariant()
        def the_bank_holds_what_came_in_less_what_went_out(self):
            received = self.received
            refunded = sum(p.refunded_fen for p in db.session.scalars(select(Pledge)))
            paid_out = sum(amount for _t, _h, amount in self.payouts)
            balances, _ = ledger.trial_balance()
            assert balances.get("bank", 0) == received - refunded - paid_out

    LedgerMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None,
                                               suppress_health_check=[HealthCheck.too_slow])
    run_state_machine_as_test(LedgerMachine, settings=LedgerMachine.TestCase.settings)
