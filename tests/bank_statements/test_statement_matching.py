"""A county's bank statement (the bank's own export, GBK CSV or XLSX) matched to the pledges waiting for
their transfer: 200 credits sorted correctly, the matched ones confirmed in one step as paid transfers,
and the same or an overlapping file uploaded again recording nothing twice."""

import csv
import io
import random

from openpyxl import Workbook
from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import (
    AuditEvent, BankTransfer, LedgerTransaction, OutboxMessage, Pledge, StatementImport, StatementLine,
)
from courtyard.services.pledges import pledges as pledge_service
from courtyard.models.types import utcnow
from tests.support.factories import login
from tests.support.transfer_pledges import waiting_pledges

ICBC_HEADER = ["凭证号", "本方账号", "对方账号", "交易时间", "借/贷", "借方发生额", "贷方发生额", "对方行号", "摘要", "用途",
               "对方单位名称", "余额"]


def _row(serial, when, amount_fen, payer, account, memo, purpose="", debit=False):
    yuan = f"{amount_fen // 100:,}.{amount_fen % 100:02d}"
    return [f"{serial:08d}", "0902021109000012345", account, when, "借" if debit else "贷", yuan if debit else "",
            "" if debit else yuan, "102", memo, purpose, payer, "1,000,000.00"]


def _gbk_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["中国工商银行 账户明细查询"])
    writer.writerow(["账号", "0902021109000012345", "户名", "示范县电子商务服务中心"])
    writer.writerow(ICBC_HEADER)
    writer.writerows(rows)
    amounts = [r[6].replace(",", "").replace(".", "") for r in rows]
    credits = sum(int(a) for a in amounts if a.isdigit())  # the bank's total line, with an amount but no date
    writer.writerow(["本页合计", "", "", "", "", "", f"{credits // 100}.{credits % 100:02d}", "", "", "", "", ""])
    return buffer.getvalue().encode("gbk")


def _statement(made, already_paid):
    """200 credits and a few debits: 120 matched, 25 wrong amounts, 25 unknown references, 30 duplicates."""
    rng = random.Random(16)
    rows, serial = [], 1000

    def add(amount, memo, purpose="", debit=False):
        nonlocal serial
        serial += 1
        rows.append(_row(serial, f"2026-12-{serial % 28 + 1:02d} 10:{serial % 60:02d}:00", amount, f"单位{serial}",
                         f"62220{serial:010d}", memo, purpose, debit))

    matched, wrong, paid = made[:120], made[120:145], already_paid
    for n, pledge in enumerate(matched):  # the reference written in several ways banks and clerks write it
        ref = pledge.reference
        memo = [f"货款 {ref}", f"{ref.lower()} 认购款", f"{ref[:6]} {ref[6:]}", f"对公转账{ref[:4]}-{ref[4:]}"][n % 4]
        add(pledge.total_fen, "转账" if n % 5 == 0 else memo, memo if n % 5 == 0 else "")
    for pledge in wrong:
        add(pledge.total_fen + rng.choice([-100, 100, 1680]), f"认购 {pledge.reference}")
    for n in range(25):
        add(16800 * (n % 3 + 1), "货款" if n % 2 else "CYZZZZZZZZ 认购")
    for pledge in matched[:15]:  # the unit paid twice
        add(pledge.total_fen, f"重复 {pledge.reference}")
    for pledge in paid:  # paid by a transfer recorded by hand before the statement came
        add(pledge.total_fen, f"{pledge.reference}")
    add(50000, "手续费", debit=True)
    add(120000, "退款", debit=True)
    rng.shuffle(rows)
    return rows


def _upload(client, content, name, preset="icbc"):
    return client.post("/county/bank-statements", data={"preset": preset, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _counts(app):
    with app.app_context():
        return {"lines": db.session.scalar(select(func.count(StatementLine.id))),
                "imports": db.session.scalar(select(func.count(StatementImport.id))),
                "transfers": db.session.scalar(select(func.count(BankTransfer.id))),
                "ledger": db.session.scalar(select(func.count(LedgerTransaction.id))),
                "audit": db.session.scalar(select(func.count(AuditEvent.id))),
                "mail": db.session.scalar(select(func.count(OutboxMessage.id))),
                "states": dict(db.session.execute(select(StatementLine.state, func.count()).group_by(
                    StatementLine.state)).tuples().all())}


def _world(app, make):
    _campaign, _units, made = waiting_pledges(app, 160, units=8)
    already_paid = made[145:160]
    with app.app_context():
        for pledge in already_paid:
            pledge_service.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "HAND-1", utcnow(),
                                           utcnow())
        db.session.commit()
    return made, already_paid


def test_a_gbk_statement_of_200_credits_is_sorted_and_the_matched_ones_confirmed_once(app, client, make):
    """Are 200 credits of a GBK file sorted into matched, amount-differs, unknown and duplicate; does one
    confirmation pay the 120 matched pledges (ledger, transfer, letter); and does the same file again change nothing?"""
    made, already_paid = _world(app, make)
    content = _gbk_csv(_statement(made, already_paid))
    login(client, make.admin())
    response = _upload(client, content, "工行明细.csv")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    counts = _counts(app)
    assert counts["lines"] == 200 and counts["imports"] == 1
    assert counts["states"] == {"matched": 120, "amount_differs": 25, "unknown_reference": 25, "duplicate": 30}
    with app.app_context():
        statement_id = db.session.scalar(select(StatementImport.id))
        matched = set(db.session.scalars(select(StatementLine.pledge_id).where(StatementLine.state == "matched")))
        wrong = set(db.session.scalars(select(StatementLine.pledge_id).where(StatementLine.state == "amount_differs")))
    assert matched == {p.id for p in made[:120]} and wrong == {p.id for p in made[120:145]}
    page = client.get(f"/county/bank-statements/{statement_id}?state=amount_differs").get_data(as_text=True)
    assert page.count('data-state="amount_differs"') >= 26 and made[120].reference in page

    before = _counts(app)
    response = client.post(f"/county/bank-statements/{statement_id}/confirm")
    assert response.status_code == 302
    assert "已记录 120 笔转账" in client.get(response.headers["Location"]).get_data(as_text=True)
    after = _counts(app)
    assert after["transfers"] - before["transfers"] == 120 and after["ledger"] - before["ledger"] == 120
    assert after["mail"] - before["mail"] == 120  # each unit's "payment received" letter
    assert after["states"]["confirmed"] == 120 and "matched" not in after["states"]
    with app.app_context():
        paid = db.session.scalars(select(Pledge).where(Pledge.id.in_([p.id for p in made[:120]]))).all()
        assert {p.state for p in paid} == {"paid"}
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "statement_line_confirmed")) == 120
    again = client.post(f"/county/bank-statements/{statement_id}/confirm")
    assert again.status_code == 302 and _counts(app) == after  # nothing left to confirm, nothing recorded

    response = _upload(client, content, "工行明细-again.csv")
    assert response.status_code == 302 and response.headers["Location"].endswith("/county/bank-statements")
    assert _counts(app) == after
    assert "全部 200 笔" in client.get("/county/bank-statements").get_data(as_text=True)  # "nothing new" said


def test_an_overlapping_xlsx_records_only_its_new_lines(app, client, make):
    """Does a later export overlapping the first (same lines, as XLSX with numbers and dates as cells) add only
    the lines not seen before, matched as usual?"""
    made, _ = _world(app, make)
    first = [_row(n, f"2026-12-0{n % 9 + 1} 09:00:00", p.total_fen, "单位", f"6222{n}", f"货款{p.reference}")
             for n, p in enumerate(made[:10])]
    login(client, make.admin())
    assert _upload(client, _gbk_csv(first), "first.csv").status_code == 302
    second = first[5:] + [_row(n, f"2026-12-0{n % 9 + 1} 09:00:00", p.total_fen, "单位", f"6222{n}", f"货款{p.reference}")
                          for n, p in enumerate(made[10:14], start=10)]
    book = Workbook()
    book.active.append(ICBC_HEADER)
    for row in second:
        book.active.append([float(c.replace(",", "")) if i == 6 and c else c for i, c in enumerate(row)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(client, buffer.getvalue(), "second.xlsx").status_code == 302
    counts = _counts(app)
    assert counts["lines"] == 14 and counts["imports"] == 2 and counts["states"] == {"matched": 14}
    with app.app_context():
        newest = db.session.scalars(select(StatementImport).order_by(StatementImport.id.desc())).first()
        assert (newest.credit_count, newest.new_count) == (9, 4)


def test_a_file_with_bad_rows_records_nothing_and_names_each_row(app, client, make):
    """Are a bad amount and a bad date reported with their row numbers, and nothing recorded?"""
    made, _ = _world(app, make)
    rows = [_row(1, "2026-12-01", made[0].total_fen, "甲", "1", f"货款{made[0].reference}"),
            _row(2, "2026-12-01", 100, "乙", "2", "货款"), _row(3, "2026-13-45", 100, "丙", "3", "货款")]
    rows[1][6] = "12元五角"
    login(client, make.admin())
    response = _upload(client, _gbk_csv(rows), "bad.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _counts(app)["lines"] == 0
    assert "12元五角" in page and "2026-13-45" in page
    assert '<td class="num">5</td>' in page and '<td class="num">6</td>' in page  # rows 5 and 6 of the file


def test_wrong_columns_are_named_at_the_layout_field(app, client, make):
    """Is a file without the layout's columns refused with a message at the layout field, listing the file's header?"""
    login(client, make.admin())
    content = "日期,金额,备注\n2026-12-01,100.00,货款\n".encode("utf-8-sig")
    response = _upload(client, content, "other-bank.csv", preset="abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "收入金额" in page and "日期、金额、备注" in page
    assert _counts(app)["lines"] == 0


def test_a_layout_named_in_the_page_reads_its_bank_file(app, client, make):
    """Can the county name a new layout and upload its bank's UTF-8 (BOM) file with it?"""
    made, _ = _world(app, make)
    login(client, make.admin())
    response = client.post("/county/bank-statements/layouts", data={
        "name": "县农商银行", "date_column": "入账日期", "amount_column": "收入（元）", "payer_name_column": "付款人",
        "payer_account_column": "付款账号", "memo_columns": "备注、附言", "serial_column": ""})
    assert response.status_code == 302
    page = client.get("/county/bank-statements").get_data(as_text=True)
    key = page.split('value="custom:')[1].split('"')[0]
    content = ("入账日期,收入（元）,付款人,付款账号,备注,附言\n"
               f"2026年12月3日,{made[0].total_fen / 100:.2f},某局,6222,转账,{made[0].reference}\n").encode("utf-8-sig")
    response = _upload(client, content, "农商.csv", preset=f"custom:{key}")
    assert response.status_code == 302 and _counts(app)["states"] == {"matched": 1}


def test_lines_are_matched_by_hand_or_set_aside(app, client, make):
    """Can an unknown line be recorded for the pledge the county picks, is a wrong-amount pick refused at the
    field, and can a line be set aside with a note?"""
    made, _ = _world(app, make)
    rows = [_row(1, "2026-12-01", made[0].total_fen, "甲", "1", "货款"), _row(2, "2026-12-01", 99, "乙", "2", "货款")]
    login(client, make.admin())
    _upload(client, _gbk_csv(rows), "hand.csv")
    with app.app_context():
        first, second = db.session.scalars(select(StatementLine).order_by(StatementLine.row_number)).all()
        first_id, second_id = first.id, second.id
    page = client.get(f"/county/bank-statement-lines/{first_id}").get_data(as_text=True)
    assert made[0].reference in page  # offered: it waits for exactly this amount
    refused = client.post(f"/county/bank-statement-lines/{second_id}", data={"action": "match", "match-reference": made[1].reference})
    assert refused.status_code == 422 and "field-error" in refused.get_data(as_text=True)
    done = client.post(f"/county/bank-statement-lines/{first_id}", data={"action": "match", "match-pick": made[0].reference})
    assert done.status_code == 302
    aside = client.post(f"/county/bank-statement-lines/{second_id}", data={"action": "aside", "aside-note": "已退回付款人"})
    assert aside.status_code == 302
    with app.app_context():
        assert db.session.get(Pledge, made[0].id).state == "paid"
        assert db.session.get(Pledge, made[1].id).state == "awaiting_transfer"
        assert db.session.get(StatementLine, second_id).state == "set_aside"
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action.in_(("statement_line_matched_by_hand", "statement_line_set_aside")))) == 2


def test_a_pledge_paid_by_hand_after_the_upload_is_not_paid_twice_at_confirmation(app, client, make):
    """When the county records one matched pledge's transfer by hand before confirming, is that line turned into a
    duplicate and only the other recorded?"""
    made, _ = _world(app, make)
    rows = [_row(n, "2026-12-01", p.total_fen, "甲", str(n), f"货款{p.reference}") for n, p in enumerate(made[:2])]
    login(client, make.admin())
    _upload(client, _gbk_csv(rows), "two.csv")
    with app.app_context():
        pledge_service.record_transfer(None, db.session.get(Pledge, made[0].id), made[0].total_fen, "柜台", utcnow(),
                                       utcnow())
        db.session.commit()
        statement_id = db.session.scalar(select(StatementImport.id))
    response = client.post(f"/county/bank-statements/{statement_id}/confirm")
    assert "1 行不再匹配" in client.get(response.headers["Location"]).get_data(as_text=True)
    counts = _counts(app)
    assert counts["states"] == {"confirmed": 1, "duplicate": 1} and counts["transfers"] == 15 + 2  # the _world's, the one by hand, the one confirmed
