"""Signing in by a one-time code sent by text (短信验证码): five minutes, five tries, limited per number and address.

A code is six digits, stored only as an HMAC with the app's secret. Asking for one is limited per
number (one a minute, five an hour) and per address (twenty an hour); the answer is the same whether
or not the number is on a staff roll, so the page does not tell who works where. The text is queued
like every message (:func:`courtyard.messages.queue.tell`), in the request's transaction; the
fast sender (``flask courtyard send-codes-watch``) sends codes within seconds, the
``send-messages`` job is the backstop. Wrong codes count as login failures (``kind="code"``) with the
daily limit of :mod:`courtyard.services.login_guard`.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import queue
from courtyard.messages.recipients import Recipient, mobile
from courtyard.models import LoginCode, StaffMember
from courtyard.services.identity import login_guard
from courtyard.services.operations.checkpoint import checkpoint

CODE_LIFETIME = timedelta(minutes=5)
MAX_TRIES = 5
RESEND_GAP = timedelta(minutes=1)
HOUR = timedelta(hours=1)
PER_NUMBER_HOUR = 5
PER_ADDRESS_HOUR = 20
DAILY_FAILURES = 20


def code_hash(secret_key, phone, code):
    return hmac.new(secret_key.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def request_code(phone, address, secret_key, now):
    """Queue a code for ``phone`` if it is on an active roll; returns the cleaned number (flushes)."""
    number = mobile(phone)
    if not number:
        raise DomainError(_l("Enter an 11-digit mobile number."), "phone")
    recent = select(func.count(LoginCode.id)).where(LoginCode.created_at > now - HOUR)
    if db.session.scalar(recent.where(LoginCode.address == (address or "")[:45])) >= PER_ADDRESS_HOUR:
        raise DomainError(_l("Too many codes were asked for from here; try again in an hour."), "phone")
    last = db.session.scalar(select(func.max(LoginCode.created_at)).where(LoginCode.phone == number))
    if last is not None and last > now - RESEND_GAP:
        raise DomainError(_l("A code was sent less than a minute ago; wait a moment before asking again."), "phone")
    if db.session.scalar(recent.where(LoginCode.phone == number)) >= PER_NUMBER_HOUR:
        raise DomainError(_l("Too many codes for this number; try again in an hour."), "phone")
    db.session.execute(update(LoginCode).where(LoginCode.phone == number, LoginCode.used_at.is_(None))
                       .values(used_at=now).execution_options(synchronize_session=False))  # one live code
    code = f"{secrets.randbelow(10 ** 6):06d}"
    row = LoginCode(phone=number, address=(address or "")[:45], code_hash=code_hash(secret_key, number, code),
                    created_at=now, expires_at=now + CODE_LIFETIME, tries=0)
    db.session.add(row)
    db.session.flush()
    member = _member(number)
    if member is not None:
        recipient = Recipient(f"u{member.user_id}", "staff", member.name, phone=number, user_id=member.user_id)
        queue.tell("login_code", recipient, {"code": code}, subject=("login_code", row.id), now=now)
    return number


def verify_code(phone, code, address, secret_key, now):
    """The staff account for ``phone`` when ``code`` is its live code; DomainError otherwise.

    Commits the try and the failure itself (a checkpoint): a wrong code must count though the request fails.
    """
    number = mobile(phone)
    if not number:
        raise DomainError(_l("Enter an 11-digit mobile number."), "phone")
    if login_guard.failures_in_last_day("code", number, now) >= DAILY_FAILURES:
        raise DomainError(_l("Too many wrong codes for this number today; try again tomorrow."), "code")
    row = db.session.scalar(select(LoginCode).where(
        LoginCode.phone == number, LoginCode.used_at.is_(None), LoginCode.expires_at > now)
        .order_by(LoginCode.id.desc()).limit(1).with_for_update())
    if row is None:
        raise DomainError(_l("This code has expired; ask for a new one."), "code")
    row.tries += 1
    member = _member(number)
    right = hmac.compare_digest(row.code_hash, code_hash(secret_key, number, (code or "").strip()))
    if not right or member is None:
        login_guard.record_failure("code", number, address, now)
        if row.tries >= MAX_TRIES:
            row.used_at = now
        checkpoint()
        if row.tries >= MAX_TRIES:
            raise DomainError(_l("Too many wrong tries; ask for a new code."), "code")
        raise DomainError(_l("That code is not right; check the text and try again."), "code")
    row.used_at = now
    member.user.last_login_at = now
    db.session.flush()
    return member.user


def _member(number):
    return db.session.scalar(select(StaffMember).where(StaffMember.phone == number, StaffMember.active.is_(True)))
