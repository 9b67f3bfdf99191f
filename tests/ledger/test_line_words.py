"""Every kind of ledger line, on a household's statement and on a unit's, reads in Chinese: no English sentence
built into the data."""

import re
from datetime import timedelta
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import Household, LedgerTransaction, Pledge, Visit
from courtyard.services.money import ledger, payouts
from courtyard.services.payments import card_settlement
from courtyard.services.visits import visit_hosts, visit_registrations, visits
from tests.ledger.support import NOW, accept, paid_campaign
from tests.support.factories import login, pin_login
from tests.visits import support as visit_support

REFERENCE = "XJ-7"  # a payout's receipt code: a code, allowed


def _hosted_visit(app, make, village, household):
    """A picking visit the household hosted, closed so its fee is owed."""
    visit_id = visit_support.make_visit(app, village, capacity=2, per_unit_limit=2, fee_fen=3000, title="夏末黄瓜采摘日")
    with app.app_context():
        visit_hosts.set_hosts(None, db.session.get(Visit, visit_id), {household.id: 2}, visit_support.NOW)
    came = visit_support.register(app, visit_id, make.unit().id, "甲", "13800000001")
    on_the_day = visit_support.STARTS + timedelta(hours=1)
    visit_support.with_registration(app, came.id, visit_registrations.mark_attendance, "attended", on_the_day)
    with app.app_context():
        visits.finish(None, db.session.get(Visit, visit_id), on_the_day)
    return visit_id


def test_every_kind_of_statement_line_reads_in_chinese(app, client, make):
    """Goods, a hosting fee, a payout and a reversal of each: does the statement show no Latin word but codes?"""
    campaign_id, item_id, _ = paid_campaign(app)
    village = make.village()
    household = make.household(village, with_pin=True)
    accept(app, household.id, campaign_id, item_id, 4)
    extra = accept(app, household.id, campaign_id, item_id, 2, at=NOW + timedelta(hours=1))
    _hosted_visit(app, make, village, household)
    with app.app_context():
        payout = payouts.record_payout(None, db.session.get(Household, household.id), 2000, "cash", REFERENCE, NOW)
        payout_id = payout.id
        hosting = db.session.query(LedgerTransaction).filter_by(kind="hosting_fee").one()
        for transaction_id, reason in [(payout_id, "付错了金额"), (extra, "重复录入"), (hosting.id, "接待费算错")]:
            ledger.reverse(None, db.session.get(LedgerTransaction, transaction_id), reason, NOW + timedelta(days=1))
    pin_login(client, household)
    page = client.get("/household/statement?period=custom&start=2026-01-01&end=2026-12-31",
                      headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    lines = page.split('<ul class="statement-lines">')[1].split("</ul>")[0]
    assert lines.count('class="statement-line') == 7
    assert "夏末黄瓜采摘日" in lines
    words = re.sub(r"<[^>]+>", " ", lines).replace(REFERENCE, " ")
    assert re.findall(r"[A-Za-z]{2,}", words) == []


def test_every_kind_of_unit_money_line_reads_in_chinese(app, client, make):
    """A transfer received, a refund and a reversal on the unit's statement: no Latin word but the pledge code?"""
    _campaign, _item, pledge_id = paid_campaign(app)
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        reference, unit_id = pledge.reference, pledge.unit_id
        card_settlement.refund(pledge, 1000, "campaign failed", None, now=NOW + timedelta(hours=1))
        refund = db.session.query(LedgerTransaction).filter_by(kind="refund").one()
        ledger.reverse(None, refund, "退款记重了", NOW + timedelta(hours=2))
    login(client, make.partner_user(SimpleNamespace(id=unit_id)))
    page = client.get("/partner/statement?period=custom&start=2026-01-01&end=2026-12-31").get_data(as_text=True)
    rows = page.split('<table class="money-table">')[1].split("</tbody>")[0].split("<tbody>")[1]
    assert rows.count("<tr>") == 3
    words = re.sub(r"<[^>]+>", " ", rows).replace(reference, " ")
    assert re.findall(r"[A-Za-z]{2,}", words) == []
