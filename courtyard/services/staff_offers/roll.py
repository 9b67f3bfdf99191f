"""A unit's staff roll: people added from a pasted list (name and mobile per line), removed one by one.

Adding is all-or-nothing: one bad line and nothing is added, with the line named. Each person gets a
``staff`` account (no password: they sign in by text code). A number belongs to one unit.
"""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages.recipients import mobile
from courtyard.models import STAFF_ROLE, StaffMember, User
from courtyard.services.operations import audit
from courtyard.services.places.household_import import read_table

NO_PASSWORD = "!"  # no password matches it: staff sign in by text code only
MAX_PEOPLE = 2000
LINE = re.compile(r"(.+?)[\s,，;；]+(\+?[\d][\d\s-]*)")  # a name, then the number (spaces and dashes allowed)


def parse_people(text):
    """``[(name, mobile)]`` from lines like ``张三 13800000001`` (or with a comma or tab); DomainError naming the line."""
    people, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.fullmatch(line.strip())
        phone = mobile(match.group(2)) if match else ""
        name = match.group(1).strip()[:60] if match else ""
        if not phone or not name:
            raise DomainError(_l("Line %(n)s: give a name and an 11-digit mobile number.", n=number), "people")
        if phone in seen:
            raise DomainError(_l("Line %(n)s: %(phone)s is listed twice.", n=number, phone=phone), "people")
        seen.add(phone)
        people.append((name, phone))
    if not people:
        raise DomainError(_l("Paste at least one line with a name and a mobile number."), "people")
    if len(people) > MAX_PEOPLE:
        raise DomainError(_l("At most %(n)s people at a time.", n=MAX_PEOPLE), "people")
    return people


def add_staff(actor, unit, text, now):
    """Add (or bring back) the people listed; returns how many. Flushes; the caller commits."""
    people = parse_people(text)
    phones = [phone for _, phone in people]
    known = {m.phone: m for m in db.session.scalars(select(StaffMember).where(StaffMember.phone.in_(phones)))}
    taken = {u.login for u in db.session.scalars(select(User).where(User.login.in_([_login(p) for p in phones])))}
    for name, phone in people:
        member = known.get(phone)
        if member is not None and member.unit_id != unit.id:
            raise DomainError(_l("%(phone)s is on another unit's staff roll.", phone=phone), "people")
        if member is None and _login(phone) in taken:
            raise DomainError(_l("%(phone)s already has an account.", phone=phone), "people")
    for name, phone in people:
        member = known.get(phone)
        if member is None:
            user = User(role=STAFF_ROLE, login=_login(phone), secret_hash=NO_PASSWORD, display_name=name, phone=phone,
                        created_at=now)
            member = StaffMember(unit_id=unit.id, user=user, name=name, phone=phone, active=True, added_at=now)
            db.session.add(member)
        else:
            member.name, member.active, member.user.display_name, member.user.active = name, True, name, True
    db.session.flush()
    audit.record(actor, "staff_added", "partner_unit", unit.id, count=len(people))
    return len(people)


def import_staff(actor, unit, filename, stream, now):
    """Add the people of an uploaded .xlsx or .csv (name, mobile; a heading row is skipped); all or nothing."""
    table = read_table(filename, stream)
    rows = [[cell for cell in row if (cell or "").strip()] for row in table]
    if rows and rows[0] and not mobile(rows[0][-1]):
        rows = rows[1:]  # the heading: 姓名, 手机号
    return add_staff(actor, unit, "\n".join(" ".join(row[:2]) for row in rows), now)


def rename(member, name):
    """The person gives their own name (it goes on their box and the handover sheet); flushes."""
    name = (name or "").strip()[:60]
    if not name:
        raise DomainError(_l("Enter your name."), "name")
    member.name = member.user.display_name = name
    db.session.flush()


def remove_staff(actor, member, now):
    """Take a person off the roll: they can no longer sign in; a choice in an open offer is dropped."""
    from courtyard.services.staff_offers.choices import drop_open_choices

    member.active = False
    member.user.active = False
    member.user.end_sessions()
    drop_open_choices(member)
    db.session.flush()
    audit.record(actor, "staff_removed", "staff_member", member.id)


def _login(phone):
    return f"staff:{phone}"
