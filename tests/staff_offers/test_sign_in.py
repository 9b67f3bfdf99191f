"""Staff sign in with a text code: sent within seconds through the SMS provider, five minutes, five tries, limits."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from courtyard.devservices.sms_sink import read_texts
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import LoginCode, Notice, NoticeDelivery
from courtyard.services.staff_offers import code_sender, sign_in
from tests.support.staff_offers import make_staff_offer

SECRET = "test-secret"


def _ask(phone, now, address="10.0.0.1"):
    sign_in.request_code(phone, address, SECRET, now)
    db.session.commit()
    delivery = db.session.scalars(select(NoticeDelivery).order_by(NoticeDelivery.id.desc())).first()
    return delivery.params["code"] if delivery else None


def test_a_code_reaches_the_phone_within_the_fast_sender_and_signs_in(app, sms_sink):
    """Is the code texted by the code sender (not stored in clear), and does it sign in once only?"""
    w = make_staff_offer(app)
    with app.app_context():
        code = _ask(w.phones[0], w.now)
        result = code_sender.send_codes(app.config, w.now)
        assert result.sent == 1
        [text] = read_texts(sms_sink.sink.dir)
        assert text["PhoneNumbers"] == w.phones[0] and code in text["Content"] and "5分钟" in text["Content"]
        assert code not in db.session.scalar(select(LoginCode.code_hash))
        assert db.session.scalar(select(Notice.user_id).where(Notice.kind == "login_code")) == w.user_ids[0]
        user = sign_in.verify_code(w.phones[0], code, "10.0.0.1", SECRET, w.now + timedelta(minutes=4))
        db.session.commit()
        assert user.id == w.user_ids[0] and user.role == "staff"
        with pytest.raises(DomainError, match="expired"):
            sign_in.verify_code(w.phones[0], code, "10.0.0.1", SECRET, w.now + timedelta(minutes=4))


def test_a_code_expires_after_five_minutes(app):
    """Is a right code refused after five minutes?"""
    w = make_staff_offer(app)
    with app.app_context():
        code = _ask(w.phones[0], w.now)
        with pytest.raises(DomainError, match="expired"):
            sign_in.verify_code(w.phones[0], code, "", SECRET, w.now + timedelta(minutes=5, seconds=1))


def test_five_wrong_tries_spend_the_code(app):
    """After five wrong codes, is even the right code refused, with a new one needed?"""
    w = make_staff_offer(app)
    with app.app_context():
        code = _ask(w.phones[0], w.now)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for n in range(4):
            with pytest.raises(DomainError, match="not right"):
                sign_in.verify_code(w.phones[0], wrong, "", SECRET, w.now)
        with pytest.raises(DomainError, match="Too many wrong tries"):
            sign_in.verify_code(w.phones[0], wrong, "", SECRET, w.now)
        with pytest.raises(DomainError, match="expired"):
            sign_in.verify_code(w.phones[0], code, "", SECRET, w.now)


def test_codes_are_limited_per_number_and_per_address(app):
    """One a minute and five an hour per number; twenty an hour from one address."""
    w = make_staff_offer(app, staff=1)
    with app.app_context():
        _ask(w.phones[0], w.now)
        with pytest.raises(DomainError, match="less than a minute"):
            _ask(w.phones[0], w.now + timedelta(seconds=30))
        for n in range(1, 5):
            _ask(w.phones[0], w.now + timedelta(minutes=2 * n))
        with pytest.raises(DomainError, match="Too many codes for this number"):
            _ask(w.phones[0], w.now + timedelta(minutes=12))
        for n in range(20):
            _ask(f"1370000{n:04d}", w.now + timedelta(minutes=13), address="10.9.9.9")
        with pytest.raises(DomainError, match="from here"):
            _ask("13799999999", w.now + timedelta(minutes=13), address="10.9.9.9")


def test_a_number_off_the_roll_gets_the_same_answer_and_no_text(app):
    """Does a stranger's number get no text, while the page cannot tell it apart from a staff number?"""
    w = make_staff_offer(app)
    with app.app_context():
        assert sign_in.request_code("13700000000", "", SECRET, w.now) == "13700000000"
        db.session.commit()
        assert db.session.query(NoticeDelivery).count() == 0
        with pytest.raises(DomainError, match="not right"):
            sign_in.verify_code("13700000000", "123456", "", SECRET, w.now)
