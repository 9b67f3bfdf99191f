"""The outbox against a real SMTP server (the local sink): queued with the change, sent once, kept on failure."""

import re
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from courtyard.devservices.smtp_sink import read_messages, running_smtp_sink
from courtyard.extensions import db
from courtyard.messages import pledge_letters
from courtyard.messages.outbox import queue, retry_due_at, send_pending
from courtyard.models import (
    Campaign, CampaignPackage, DeliveryAddress, OutboxMessage, Package, PackageItem, PartnerUnit, Pledge, PledgeLine,
    ProduceItem,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
SUBJECT = "您的认购已确认：王家村土鸡蛋"
BODY = "感谢您对王家村的帮扶。\n认购编号 CY-7K3M9Q，金额 ¥336.00。\n"


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def smtp_at(app, monkeypatch):
    """Point the app's SMTP settings at a host and port for this test."""
    def point(host, port):
        monkeypatch.setitem(app.config, "SMTP_HOST", host)
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
    return point


@pytest.fixture
def sink(mail_dir, smtp_at):
    with running_smtp_sink(mail_dir) as (host, port):
        smtp_at(host, port)
        yield mail_dir


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue_and_commit(app, count=1, **kw):
    with app.app_context():
        ids = [queue("zhang@example.com", f"{SUBJECT} {n}" if count > 1 else SUBJECT, BODY, now=NOW, **kw).id
               for n in range(count)]
        db.session.commit()
        return ids


def run(app, now=NOW, **kw):
    with app.app_context():
        return send_pending(app.config, now, **kw)


def rows(app):
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(m.sent_at, m.attempts, m.last_error) for m in messages]


def test_committed_message_is_delivered_with_its_chinese_subject(app, sink):
    """Is a committed message delivered once, its Chinese subject RFC 2047-encoded and read back intact?"""
    queue_and_commit(app)

    assert run(app) == (1, 0)

    [received] = read_messages(sink)
    assert received["Subject"] == SUBJECT
    assert received.get_content() == BODY
    assert received["To"] == "zhang@example.com"
    assert received["From"].addresses[0].display_name == "庭院 Courtyard"
    raw = next(sink.glob("*.eml")).read_bytes()
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0].lower()  # encoded words, not raw UTF-8 in the header
    assert rows(app) == [(NOW, 0, "")]


def test_rolled_back_change_queues_and_sends_nothing(app, sink):
    """If the change is rolled back, is its notice gone too?"""
    with app.app_context():
        assert queue("zhang@example.com", SUBJECT, BODY, now=NOW) is not None
        db.session.rollback()

    assert run(app) == (0, 0)
    assert rows(app) == [] and read_messages(sink) == []


def test_a_dedupe_key_is_queued_once(app, sink):
    """Is a notice with the same key queued once, within one transaction and across two?"""
    with app.app_context():
        assert queue("zhang@example.com", SUBJECT, BODY, "pledge:1:funded", now=NOW) is not None
        assert queue("zhang@example.com", SUBJECT, BODY, "pledge:1:funded", now=NOW) is None
        db.session.commit()
    with app.app_context():
        assert queue("li@example.com", SUBJECT, BODY, "pledge:1:funded", now=NOW) is None
        assert queue("li@example.com", SUBJECT, BODY, "pledge:2:funded", now=NOW) is not None
        db.session.commit()

    assert run(app) == (2, 0)
    assert sorted(m["To"] for m in read_messages(sink)) == ["li@example.com", "zhang@example.com"]


def test_a_concurrent_duplicate_does_not_fail_the_other_change(app):
    """When two transactions queue one key at once, does the later get None and still commit its own change?"""
    outcome = {}
    with app.app_context():
        queue("zhang@example.com", SUBJECT, BODY, "pledge:9:funded", now=NOW)  # uncommitted: holds the key

        def second_transaction():
            with app.app_context():
                outcome["duplicate"] = queue("li@example.com", SUBJECT, BODY, "pledge:9:funded", now=NOW)
                queue("li@example.com", "other change", BODY, now=NOW)
                db.session.commit()

        worker = threading.Thread(target=second_transaction)
        worker.start()
        time.sleep(0.5)  # let it reach the insert and wait on the first transaction
        db.session.commit()
        worker.join(timeout=30)

    assert outcome["duplicate"] is None
    with app.app_context():
        assert set(db.session.scalars(select(OutboxMessage.subject))) == {SUBJECT, "other change"}


def test_unreachable_server_keeps_the_message_for_a_later_run(app, mail_dir, smtp_at):
    """With the server down, is the attempt counted and the message kept, then delivered once it is back?"""
    queue_and_commit(app, count=3)
    smtp_at("127.0.0.1", closed_port())

    assert run(app) == (0, 1)  # stops at the first message: one connection per batch
    [(sent_at, attempts, error), *others] = rows(app)
    assert sent_at is None and attempts == 1 and "Connection" in error
    assert others == [(None, 0, ""), (None, 0, "")]

    with running_smtp_sink(mail_dir) as (host, port):
        smtp_at(host, port)
        assert run(app, NOW + timedelta(seconds=30)) == (2, 0)  # the failed one waits for its retry time
        assert run(app, NOW + timedelta(minutes=1)) == (1, 0)

    assert sorted(m["Subject"] for m in read_messages(mail_dir)) == [f"{SUBJECT} {n}" for n in range(3)]
    assert [attempts for _, attempts, _ in rows(app)] == [1, 0, 0]


def test_a_message_that_cannot_be_written_does_not_block_the_rest(app, sink):
    """Does a message with a broken header fail alone, the ones after it still going out?"""
    with app.app_context():
        queue("zhang@example.com\r\nBcc: x@example.com", SUBJECT, BODY, now=NOW)  # subjects are made one line
        queue("li@example.com", SUBJECT, BODY, now=NOW)
        db.session.commit()

    assert run(app) == (1, 1)
    [(_, attempts, error), (sent_at, _, _)] = rows(app)
    assert attempts == 1 and "ValueError" in error and sent_at == NOW
    assert [m["To"] for m in read_messages(sink)] == ["li@example.com"]


def test_retries_back_off_and_stop(app, sink):
    """Is a message retried after 1, 3, 7 … minutes, and left alone after max_attempts failures?"""
    [message_id] = queue_and_commit(app)
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        message.attempts = 3
        assert retry_due_at(message) == NOW + timedelta(minutes=7)
        db.session.commit()

    assert run(app, NOW + timedelta(minutes=6)) == (0, 0)
    assert run(app, NOW + timedelta(days=1), max_attempts=3) == (0, 0)
    assert run(app, NOW + timedelta(minutes=7)) == (1, 0)


def test_running_twice_sends_once(app, sink):
    """Is a second run (the job is safe to repeat) a no-op?"""
    queue_and_commit(app, count=2)

    assert run(app) == (2, 0)
    assert run(app) == (0, 0)
    assert len(read_messages(sink)) == 2


def test_batch_limits_one_run(app, sink):
    """Does one run send at most ``batch`` messages, leaving the rest for the next?"""
    queue_and_commit(app, count=3)

    assert run(app, batch=2) == (2, 0)
    assert run(app, batch=2) == (1, 0)


def test_two_senders_at_once_send_each_message_once(app, sink):
    """With two sender processes racing over the queue, does each message go out exactly once?"""
    queue_and_commit(app, count=12)
    results = []

    def sender():
        results.append(run(app))

    workers = [threading.Thread(target=sender) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert sum(sent for sent, _ in results) == 12 and all(failed == 0 for _, failed in results)
    subjects = [m["Subject"] for m in read_messages(sink)]
    assert sorted(subjects) == sorted(f"{SUBJECT} {n}" for n in range(12))


def build_pledge(contact_email="caizheng@example.com", state="paid", method="card", **fields):
    """A pledge of 2 × ¥168.00 (call inside an app context)."""
    package = Package(name="王家村土鸡蛋礼盒", price_fen=16800,
                      lines=[PackageItem(item=ProduceItem(name="土鸡蛋", category="poultry", unit="枚", price_fen=150), quantity=30)])
    campaign = Campaign(title="冬季村货优选", mode="all_or_nothing", goal_kind="packages", goal_value=100, state="open",
                        opens_at=NOW - timedelta(days=10), closes_at=NOW + timedelta(days=10))
    offer = CampaignPackage(campaign=campaign, package=package, price_fen=16800, cap=200, sold=2)
    unit = PartnerUnit(name="示范县财政局", kind="government", contact_email=contact_email)
    db.session.add_all([package, campaign, offer, unit])
    db.session.flush()
    address = DeliveryAddress(unit_id=unit.id, label="机关第一食堂", address="示范县人民路 1 号")
    pledge = Pledge(campaign_id=campaign.id, unit_id=unit.id, method=method, state=state, total_fen=33600,
                    reference="CY-7K3M9Q", **fields)
    db.session.add_all([address, pledge])
    db.session.flush()
    db.session.add(PledgeLine(pledge_id=pledge.id, offer_id=offer.id, address_id=address.id, quantity=2, unit_price_fen=16800))
    db.session.commit()
    return pledge


@pytest.mark.parametrize("kind,kw", [(kind, {"amount_fen": 1250, "reason": "少发一箱", "refund_id": 7}
                                      if kind == "refund_issued" else {}) for kind in pledge_letters.NOTICES])
def test_every_notice_names_the_pledge(app, kind, kw):
    """Does each notice have a subject and a body naming the pledge's reference, unit and amount?"""
    with app.app_context():
        pledge = build_pledge(transfer_due_at=NOW + timedelta(days=7), invoice_title="示范县财政局")
        subject, body = pledge_letters.NOTICES[kind][0](pledge, **kw)

    assert subject and "\n" not in subject
    assert "CY-7K3M9Q" in body and "示范县财政局" in body and "王家村土鸡蛋礼盒" in body
    if kind != "pledge_cancelled":
        assert ("¥12.50" if kind == "refund_issued" else "¥336.00") in subject + body


def test_notify_queues_to_the_unit_once(app, sink):
    """Does notify queue one notice per pledge and kind to the unit's contact e-mail, and is it delivered?"""
    with app.app_context():
        pledge = build_pledge()
        assert pledge_letters.notify("campaign_funded", pledge, now=NOW) is not None
        assert pledge_letters.notify("campaign_funded", pledge, now=NOW) is None
        assert pledge_letters.notify("refund_issued", pledge, now=NOW, amount_fen=1250, reason="少发一箱", refund_id=7) is not None
        db.session.commit()
        keys = sorted(db.session.scalars(select(OutboxMessage.dedupe_key)))
        assert keys == [f"pledge:{pledge.id}:funded", f"pledge:{pledge.id}:refund:7"]

    assert run(app) == (2, 0)
    received = read_messages(sink)
    assert {m["To"] for m in received} == {"caizheng@example.com"}
    for message in received:  # written in Simplified Chinese (the zh_Hans catalog), whatever the caller's locale
        assert re.search("[\u4e00-\u9fff]", message["Subject"]) and "示范县财政局" in message.get_content()


def test_notify_skips_a_unit_without_contact_email(app):
    """Is nothing queued for a unit that has no contact e-mail?"""
    with app.app_context():
        pledge = build_pledge(contact_email="")
        assert pledge_letters.notify("pledge_confirmed", pledge) is None
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("paid,expected", [(False, "released"), (True, "refunded")])
def test_failed_campaign_notice_tells_a_hold_from_a_charge(app, paid, expected):
    """Is a unit told its card hold was released, or, if the card was charged, that it is refunded?"""
    with app.app_context():
        pledge = build_pledge(state="paid" if paid else "released", paid_at=NOW if paid else None)
        with force_locale("en"):  # the English msgid, so the test does not depend on the catalog's wording
            _, body = pledge_letters.campaign_failed.__wrapped__(pledge)

    assert expected in body and "¥336.00" in body


def test_transfer_notice_gives_bank_details_from_config(app, monkeypatch):
    """Does the transfer notice carry the bank details set in BANK_ACCOUNT_TEXT, and the due date in Shanghai time?"""
    monkeypatch.setitem(app.config, "BANK_ACCOUNT_TEXT", "户名：示范县电商办\n账号：6222 0000 1111")
    with app.app_context():
        due = datetime(2026, 11, 30, 17, tzinfo=timezone.utc)  # 01:00 on 1 December in Shanghai
        pledge = build_pledge(state="awaiting_transfer", method="transfer", transfer_due_at=due)
        subject, body = pledge_letters.pledge_awaiting_transfer(pledge)

    assert "CY-7K3M9Q" in subject and "¥336.00" in subject
    assert "账号：6222 0000 1111" in body and "2026-12-01" in body
