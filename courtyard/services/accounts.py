"""Logging in, and creating or resetting accounts."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import events as message_events
from courtyard.models import User
from courtyard.models.types import utcnow
from courtyard.services import audit

_BAD_LOGIN = _l("Wrong username or password.")
_BAD_PIN = _l("Wrong phone number or PIN.")
_STAFF_LOGIN = re.compile(r"^(?=.*[a-z])[a-z0-9._-]{3,60}$")


def authenticate_staff(login, password):
    """The active staff user with this login and password, else a DomainError."""
    user = db.session.scalar(select(User).where(User.login == login.strip().lower(), User.role != "household"))
    if user is None or not user.check_secret(password):
        raise DomainError(_BAD_LOGIN)
    if not user.active:
        raise DomainError(_l("This account has been switched off. Ask the county office."))
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def authenticate_household(phone, pin, max_failures):
    """The household user for this phone and PIN; the PIN locks after ``max_failures`` misses."""
    user = db.session.scalar(select(User).where(User.login == phone.strip(), User.role == "household"))
    if user is None:
        raise DomainError(_BAD_PIN)
    if user.locked:
        raise DomainError(_l("This PIN is locked after too many wrong tries. Ask your village work team to reset it."))
    if not user.active:
        raise DomainError(_l("This account has been switched off. Ask your village work team."))
    if not user.check_secret(pin):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked = True
            audit.record(None, "pin_locked", "user", user.id)
        db.session.commit()
        if user.locked:
            raise DomainError(_l("This PIN is now locked after too many wrong tries. Ask your village work team to reset it."))
        raise DomainError(_BAD_PIN)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    db.session.commit()
    return user


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


def create_staff_user(actor, role, login, password, display_name, phone="", work_team=None, partner_unit=None):
    """A county, team or partner-unit user; commits."""
    user = User(
        role=role,
        login=check_staff_login(login),
        display_name=display_name.strip(),
        phone=phone.strip(),
        work_team=work_team,
        partner_unit=partner_unit,
    )
    user.set_secret(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user_created", "user", user.id, role=role, login=user.login)
    db.session.commit()
    return user


def set_staff_active(actor, user, active):
    user.active = active
    audit.record(actor, "user_activated" if active else "user_deactivated", "user", user.id)
    db.session.commit()


def set_household_pin(actor, household, pin):
    """Set or reset a household's 6-digit PIN; unlocks it and makes its phone the login."""
    if not re.fullmatch(r"\d{6}", pin or ""):
        raise DomainError(_l("The PIN must be exactly 6 digits."), "pin")
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
    user.active = True
    db.session.flush()
    audit.record(actor, "pin_set", "household", household.id)
    message_events.pin_reset(household, utcnow())
    db.session.commit()
    return user
