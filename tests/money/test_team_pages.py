"""A work team sees its village's money, prints and exports statements, and pays households."""

import csv
import io

import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from courtyard.extensions import db
from courtyard.models import AuditEvent, LedgerTransaction, PayoutBatch
from tests.support.factories import login
from tests.support.money import NOW, accept, owed, paid_campaign


def _village_with_debts(app, make):
    campaign_id, item_id, _ = paid_campaign(app)
    village = make.village()
    households = [make.household(village, name=name) for name in ("王秀英", "李建国", "张春梅")]
    accept(app, households[0].id, campaign_id, item_id, 4)
    accept(app, households[1].id, campaign_id, item_id, 2)
    return village, households


def test_the_team_pays_one_household_and_cannot_overpay(app, client, make, login_as):
    """A payout above what is owed is refused next to the amount field; a correct one is recorded."""
    village, (first, *_rest) = _village_with_debts(app, make)
    login_as("team", of=village)
    refused = client.post(f"/team/households/{first.id}/money", data={"amount": "60.01", "method": "cash", "reference": ""})
    assert refused.status_code == 422 and "¥60.00" in refused.get_data(as_text=True)
    assert client.post(f"/team/households/{first.id}/money", data={"amount": "abc", "method": "cash"}).status_code == 422
    done = client.post(f"/team/households/{first.id}/money", data={"amount": "25", "method": "cash", "reference": "XJ7"})
    assert done.status_code == 302
    assert owed(app, first.id) == 3500


def test_the_team_pays_the_whole_village_and_downloads_the_bank_file(app, client, make, login_as):
    """One click pays everyone owed; the bank CSV has full card numbers and yuan amounts, and is audited."""
    village, households = _village_with_debts(app, make)
    login_as("team", of=village)
    response = client.post("/team/money/pay-all", data={"method": "bank"})
    assert response.status_code == 302
    with app.app_context():
        batch = db.session.query(PayoutBatch).one()
    bank = client.get(f"/team/money/batches/{batch.id}/bank.csv")
    rows = list(csv.reader(io.StringIO(bank.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1:4] == ["王秀英", households[0].bank_card, "60.00"]
    assert rows[2][1:4] == ["李建国", households[1].bank_card, "30.00"]
    assert len(rows) == 3
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="bank_file_exported").count() == 1
    assert [owed(app, h.id) for h in households] == [0, 0, 0]


def test_a_cash_voucher_has_a_signature_line_and_a_payout_can_be_reversed(app, client, make, login_as):
    """The printed voucher of a cash payout asks for the household's signature; reversing needs a reason."""
    village, (first, *_rest) = _village_with_debts(app, make)
    login_as("team", of=village)
    client.post(f"/team/households/{first.id}/money", data={"amount": "60", "method": "cash", "reference": "XJ8"})
    with app.app_context():
        payout_id = db.session.query(LedgerTransaction.id).filter_by(kind="payout").scalar()
    voucher = client.get(f"/team/payouts/{payout_id}/voucher.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(voucher.data)).pages)
    assert "领款人签字" in text and "陆拾元整" in text
    client.post(f"/team/payouts/{payout_id}/reverse", data={"reason": ""})
    assert owed(app, first.id) == 0
    client.post(f"/team/payouts/{payout_id}/reverse", data={"reason": "农户未收到现金"})
    assert owed(app, first.id) == 6000


def test_the_team_prints_every_household_a_page_and_exports_csv_and_xlsx(app, client, make, login_as):
    """The village PDF has a page per active household; CSV has every line; XLSX a summary row each."""
    village, households = _village_with_debts(app, make)
    with time_machine.travel(NOW, tick=False):  # log in inside the clock: a session signed later is refused
        login_as("team", of=village)
        pdf = client.get("/team/money/statements.pdf?period=year")
        lines = client.get("/team/money/statements.csv?period=year").get_data(as_text=True)
        book = load_workbook(io.BytesIO(client.get("/team/money/statements.xlsx?period=year").data))
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 3
    assert "王秀英" in reader.pages[0].extract_text() or "王秀英" in "".join(p.extract_text() for p in reader.pages)
    assert lines.count("交售农产品") == 2
    assert [row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True)] == sorted(h.name for h in households)


def test_a_team_cannot_see_or_pay_another_village(app, client, make, login_as):
    """Another village's household, payout and batch are all 404 for this team."""
    village, (first, *_rest) = _village_with_debts(app, make)
    other = make.village()
    login_as("team", of=village)
    client.post("/team/money/pay-all", data={"method": "cash"})
    with app.app_context():
        batch_id = db.session.query(PayoutBatch.id).scalar()
        payout_id = db.session.query(LedgerTransaction.id).filter_by(kind="payout").first()[0]
    client = app.test_client()
    login(client, make.team_member(other))
    assert client.get(f"/team/households/{first.id}/money").status_code == 404
    assert client.post(f"/team/households/{first.id}/money", data={"amount": "1", "method": "cash"}).status_code == 404
    assert client.get(f"/team/money/batches/{batch_id}").status_code == 404
    assert client.get(f"/team/money/batches/{batch_id}/bank.csv").status_code == 404
    assert client.get(f"/team/payouts/{payout_id}/voucher.pdf").status_code == 404
    assert client.post(f"/team/payouts/{payout_id}/reverse", data={"reason": "x"}).status_code == 404
    page = client.get("/team/money").get_data(as_text=True)
    assert first.name not in page
