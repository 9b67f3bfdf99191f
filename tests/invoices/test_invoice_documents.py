"""发票 as documents: a unit asks, the county issues with the e-invoice file (PDF or OFD, checked by content), the unit
is told and downloads it (only its own, as an attachment), a refund after issuing is met by a reversal (红冲) with
the red-letter number, after which a new invoice can be asked for; requests waiting too long are listed apart."""

import io
import os
import zipfile
from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import AuditEvent, Invoice, Notice, OutboxMessage, Pledge
from courtyard.models.types import utcnow
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.money import invoice_files as files
from tests.support.factories import login
from tests.support.transfer_pledges import waiting_pledges

PDF = b"%PDF-1.7\n% e-invoice\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NUMBER, RED = "24232000000012345678", "24232000000099990001"


def _ofd():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buffer.getvalue()


def _paid(app, count=1):
    _campaign, [unit], made = waiting_pledges(app, count, units=1)
    with app.app_context():
        for pledge in made:
            pledges.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "B1", utcnow(), utcnow())
        db.session.commit()
    return unit, made


def _issue(county, invoice_id, content, name, number=NUMBER, amount="336"):
    return county.post(f"/county/invoices/{invoice_id}", data={
        "action": "issue", "issue-number": number, "issue-issued_on": "2026-12-05", "issue-amount": amount,
        "issue-file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def _stored_files(app):
    with app.app_context():
        return sorted(os.listdir(files.folder()))


def test_an_invoice_is_asked_issued_downloaded_reversed_and_asked_again(app, client, make):
    """Does the whole life of an invoice work for the unit and the county, with the unit told at each step?"""
    unit, [_, pledge] = _paid(app, count=2)  # the second: 2 packages, ¥336
    partner = make.partner_user(unit)
    login(client, partner)
    response = client.post(f"/partner/pledges/{pledge.id}/invoice", data={"title": "县财政局", "tax_number": "11230000mb1234567x"})
    assert response.status_code == 302
    with app.app_context():
        invoice = db.session.scalar(select(Invoice))
        invoice_id = invoice.id
        assert (invoice.state, invoice.tax_number, invoice.amount_fen) == ("requested", "11230000MB1234567X", pledge.total_fen)
    county = app.test_client()
    login(county, make.admin())
    assert "县财政局" in county.get("/county/invoices").get_data(as_text=True)

    before = _stored_files(app)
    refused = _issue(county, invoice_id, b"<html><script>alert(1)</script></html>", "fapiao.pdf")
    assert refused.status_code == 422 and 'id="issue-file-error"' in refused.get_data(as_text=True)
    bad_number = _issue(county, invoice_id, PDF, "fapiao.pdf", number="12-34")
    assert bad_number.status_code == 422 and 'id="issue-number-error"' in bad_number.get_data(as_text=True)
    assert _stored_files(app) == before  # a refused form keeps no file
    assert _issue(county, invoice_id, PDF, "fapiao.pdf", amount=f"{pledge.total_fen / 100:.2f}").status_code == 302
    with app.app_context():
        invoice = db.session.get(Invoice, invoice_id)
        assert (invoice.state, invoice.number, invoice.file_kind) == ("issued", NUMBER, "pdf")
        assert invoice.file_name.endswith(".pdf") and invoice.file_name != "fapiao.pdf"
        mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("发票"))).all()
        assert any(NUMBER in m.body for m in mail)
        assert db.session.scalar(select(Notice).where(Notice.kind == "invoice_issued", Notice.partner_unit_id == unit.id))

    page = client.get("/partner/invoices").get_data(as_text=True)
    assert NUMBER in page and f"/partner/invoices/{invoice_id}/file" in page
    download = client.get(f"/partner/invoices/{invoice_id}/file")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers.get("X-Content-Type-Options") == "nosniff"
    stranger = app.test_client()
    login(stranger, make.partner_user(make.unit()))
    assert stranger.get(f"/partner/invoices/{invoice_id}/file").status_code == 404
    assert NUMBER not in stranger.get("/partner/invoices").get_data(as_text=True)

    with app.app_context():
        card_settlement.refund(db.session.get(Pledge, pledge.id), 16800, "少一份", None)
        db.session.commit()
    wrong = county.post(f"/county/invoices/{invoice_id}", data={"action": "reverse", "reverse-red_number": NUMBER,
                                                                "reverse-reason": "退一份"})
    assert wrong.status_code == 422 and 'id="reverse-red_number-error"' in wrong.get_data(as_text=True)
    done = county.post(f"/county/invoices/{invoice_id}", data={"action": "reverse", "reverse-red_number": RED,
                                                               "reverse-reason": "退一份"})
    assert done.status_code == 302
    with app.app_context():
        invoice = db.session.get(Invoice, invoice_id)
        assert (invoice.state, invoice.red_number) == ("reversed", RED)
        assert db.session.scalar(select(Notice).where(Notice.kind == "invoice_reversed", Notice.partner_unit_id == unit.id))
        assert [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "invoice")
                                                      .order_by(AuditEvent.id))] == \
            ["invoice_requested", "invoice_issued", "invoice_reversed"]
    again = client.post(f"/partner/pledges/{pledge.id}/invoice", data={"title": "县财政局", "tax_number": "11230000MB1234567X"})
    assert again.status_code == 302
    with app.app_context():
        fresh = db.session.scalar(select(Invoice).where(Invoice.state == "requested"))
        assert fresh.amount_fen == pledge.total_fen - 16800


def test_an_ofd_e_invoice_is_kept_and_sent_as_ofd(app, client, make):
    """Is an OFD file (a ZIP with OFD.xml) accepted and sent back as application/ofd, while a plain ZIP is refused?"""
    unit, [pledge] = _paid(app)
    with app.app_context():
        invoice = Invoice(pledge_id=pledge.id, unit_id=unit.id, state="requested", title="县教育局",
                          tax_number="11230000MB1234567X", amount_fen=pledge.total_fen, requested_at=utcnow())
        db.session.add(invoice)
        db.session.commit()
        invoice_id = invoice.id
    login(client, make.admin())
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("run.sh", "#!/bin/sh\n")
    assert _issue(client, invoice_id, plain_zip.getvalue(), "x.ofd", amount=f"{pledge.total_fen / 100:.2f}").status_code == 422
    assert _issue(client, invoice_id, _ofd(), "x.ofd", amount=f"{pledge.total_fen / 100:.2f}").status_code == 302
    download = client.get(f"/county/invoices/{invoice_id}/file")
    assert download.mimetype == "application/ofd" and download.headers["Content-Disposition"].startswith("attachment")
    with app.app_context():
        path = files.invoice_file_path(db.session.get(Invoice, invoice_id))
        assert not os.stat(path).st_mode & 0o111  # never executable


def test_requests_waiting_longer_than_the_set_days_are_listed_apart(app, client, make):
    """Does the county's "waiting over N days" list hold only the requests older than INVOICE_OVERDUE_DAYS?"""
    unit, made = _paid(app, count=2)
    now = utcnow()
    with app.app_context():
        for pledge, age, title in ((made[0], 10, "等了十天的单位"), (made[1], 2, "刚申请的单位")):
            db.session.add(Invoice(pledge_id=pledge.id, unit_id=unit.id, state="requested", title=title,
                                   tax_number="11230000MB1234567X", amount_fen=pledge.total_fen,
                                   requested_at=now - timedelta(days=age)))
        db.session.commit()
    login(client, make.admin())
    overdue = client.get("/county/invoices?show=overdue").get_data(as_text=True)
    waiting = client.get("/county/invoices").get_data(as_text=True)
    assert "等了十天的单位" in overdue and "刚申请的单位" not in overdue
    assert "等了十天的单位" in waiting and "刚申请的单位" in waiting
    app.config["INVOICE_OVERDUE_DAYS"] = 1
    try:
        assert "刚申请的单位" in client.get("/county/invoices?show=overdue").get_data(as_text=True)
    finally:
        app.config["INVOICE_OVERDUE_DAYS"] = 7
