"""Logging in, and creating or resetting accounts.

These functions flush; the caller commits. One checkpoint: a refused login is recorded (the failure
count that pauses a PIN, the audit event) with :func:`checkpoint` before the refusal is raised, since
the page rolls back on a refusal and the record must outlive it.
"""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import events as message_events
from courtyard.models import User
from courtyard.models.types import utcnow
from courtyard.services.identity import login_guard
from courtyard.services.identity.trivial_pins import trivial_pin_reason
from courtyard.services.operations import audit
from courtyard.services.operations.checkpoint import checkpoint

_BAD_LOGIN = _l("Wrong username or password.")
_BAD_PIN = _l("Wrong phone number or PIN.")
_STAFF_LOGIN = re.compile(r"^(?=.*[a-z])[a-z0-9._-]{3,60}$")


def authenticate_staff(login, password, address="", now=None):
    """The active staff user with this login and password, else a DomainError.

    A login nobody has costs the same hashing as a real one, so timing does not tell which exist."""
    now = now or utcnow()
    user = db.session.scalar(select(User).where(User.login == login.strip().lower(), User.role != "household"))
    matches = user.check_secret(password) if user is not None else User.check_no_secret(password)
    if not matches:
        login_guard.record_failure("password", login.strip().lower(), address, now)
        checkpoint()  # the refusal is recorded even though the caller rolls back
        raise DomainError(_BAD_LOGIN)
    if not user.active:
        raise DomainError(_l("This account has been switched off. Ask the county office."))
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def authenticate_household(phone, pin, max_failures, daily_limit=None, address="", now=None):
    """The household user for this phone and PIN, else a DomainError with one message for every failure.

    An unknown phone, a switched-off account, a paused PIN, a phone over its daily limit and a wrong
    PIN all answer the same, after the same hashing, so nothing tells which phones are households.
    ``max_failures`` wrong PINs in a row pause PIN logins for a while (``login_guard``)."""
    now = now or utcnow()
    phone = phone.strip()
    user = db.session.scalar(select(User).where(User.login == phone, User.role == "household"))
    matches = user.check_secret(pin) if user is not None else User.check_no_secret(pin)
    paused = user is not None and user.locked_until is not None and user.locked_until > now
    over_limit = daily_limit is not None and login_guard.failures_in_last_day("pin", phone, now) >= daily_limit
    if matches and not paused and not over_limit and user.active and not user.locked:
        user.failed_logins = 0
        user.lock_count = 0
        user.last_login_at = now
        db.session.flush()
        return user
    login_guard.record_failure("pin", phone, address, now)
    if user is not None and not matches and not paused and login_guard.count_wrong_pin(user, max_failures, now):
        audit.record(None, "pin_paused", "user", user.id, until=user.locked_until.isoformat())
    checkpoint()  # the refusal is recorded even though the caller rolls back
    raise DomainError(_BAD_PIN)


def check_staff_login(login, exclude_user_id=None):
    login = login.strip().lower()
    if not _STAFF_LOGIN.match(login):
        raise DomainError(_l("Use 3-60 lower-case letters, digits, dots, dashes or underscores, with at least one letter."), "login")
    query = select(User.id).where(User.login == login)
    if exclude_user_id:
        query = query.where(User.id != exclude_user_id)
    if db.session.scalar(query):
        raise DomainError(_l("This username is taken."), "login")
    return login


def create_staff_user(actor, role, login, password, display_name, phone="", work_team=None, partner_unit=None,
                      cooperative=None):
    """A county, team, partner-unit or cooperative user."""
    user = User(
        role=role,
        login=check_staff_login(login),
        display_name=display_name.strip(),
        phone=phone.strip(),
        work_team=work_team,
        partner_unit=partner_unit,
        cooperative=cooperative,
    )
    user.set_secret(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user_created", "user", user.id, role=role, login=user.login)
    db.session.flush()
    return user


def set_staff_active(actor, user, active):
    user.active = active
    if not active:
        user.end_sessions()
    audit.record(actor, "user_activated" if active else "user_deactivated", "user", user.id)
    db.session.flush()


def sign_out_everywhere(actor, user):
    """End every session and remember cookie of ``user``."""
    user.end_sessions()
    audit.record(actor, "signed_out_everywhere", "user", user.id)
    db.session.flush()


def set_household_pin(actor, household, pin):
    """Set or reset a household's 6-digit PIN; unlocks it and makes its phone the login."""
    if not re.fullmatch(r"\d{6}", pin or ""):
        raise DomainError(_l("The PIN must be exactly 6 digits."), "pin")
    reason = trivial_pin_reason(pin, household.phone, household.id_number)
    if reason:
        raise DomainError(reason, "pin")
    if not household.phone:
        raise DomainError(_l("Record the household's mobile phone number first: it is the login."), "pin")
    if not household.active:
        raise DomainError(_l("This household is deactivated; reactivate it first."), "pin")
    user = household.account
    if user is None:
        user = User(role="household", login=household.phone, display_name=household.head_name, household=household)
        db.session.add(user)
    user.login = household.phone
    user.set_secret(pin)
    user.failed_logins = 0
    user.locked = False
    user.locked_until = None
    user.lock_count = 0
    user.active = True
    user.end_sessions()  # whoever knew the old PIN is signed out on every device
    db.session.flush()
    audit.record(actor, "pin_set", "household", household.id)
    message_events.pin_reset(household, utcnow())
    db.session.flush()
    return user
