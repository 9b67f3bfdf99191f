"""Who a message goes to: a household, a work team's members, a unit, the county's staff.

A ``Recipient`` names the inbox it lands in (a user, a household or a unit), the village whose
team may see its number, and its addresses by channel (mobile for SMS, e-mail for mail).
"""

import re
from dataclasses import dataclass

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Household, PartnerUnit, User, WorkTeam


@dataclass(frozen=True)
class Recipient:
    key: str  # stable within a message kind and subject: h12, u5, p3
    role: str
    name: str
    phone: str = ""
    email: str = ""
    user_id: int | None = None
    household_id: int | None = None
    partner_unit_id: int | None = None
    village_id: int | None = None


def mobile(phone):
    """A mainland mobile number (``13901234567``) from what was recorded, or "" (a landline gets no texts)."""
    digits = re.sub(r"[\s-]", "", phone or "")
    digits = digits[3:] if digits.startswith("+86") else digits
    return digits if re.fullmatch(r"1\d{10}", digits) else ""


def household(h):
    return Recipient(f"h{h.id}", "household", h.head_name, phone=mobile(h.phone), household_id=h.id,
                     village_id=h.village_id)


def households(ids):
    """Recipients for the households ``ids``, in id order."""
    found = db.session.scalars(select(Household).where(Household.id.in_(ids)).order_by(Household.id)).all()
    return [household(h) for h in found]


def team_of_village(village_id):
    """Each active member of the village's work team."""
    members = db.session.scalars(select(User).join(WorkTeam, User.work_team_id == WorkTeam.id).where(
        WorkTeam.village_id == village_id, User.active.is_(True)).order_by(User.id)).all()
    return [Recipient(f"u{m.id}", "team", m.display_name, phone=mobile(m.phone), user_id=m.id,
                      village_id=village_id) for m in members]


def unit(u):
    if isinstance(u, int):
        u = db.session.get(PartnerUnit, u)
    return Recipient(f"p{u.id}", "partner", u.name, phone=mobile(u.contact_phone),
                     email=(u.contact_email or "").strip(), partner_unit_id=u.id)


def county_staff():
    staff = db.session.scalars(select(User).where(User.role == "county", User.active.is_(True)).order_by(User.id)).all()
    return [Recipient(f"u{s.id}", "county", s.display_name, phone=mobile(s.phone), user_id=s.id) for s in staff]
