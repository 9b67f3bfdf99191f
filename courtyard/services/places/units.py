"""Partner units, their paired villages and budgets."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import UNIT_KINDS, PartnerUnit, Village
from courtyard.services.operations import audit


def save_unit(actor, unit, *, name, kind, contact_name, contact_phone, contact_email, annual_budget_fen, village_ids, allow_over_budget=False):
    name = name.strip()
    if kind not in UNIT_KINDS:
        raise DomainError(_l("Choose a kind of unit."), "kind")
    if annual_budget_fen is None or annual_budget_fen < 0:
        raise DomainError(_l("The budget cannot be negative."), "annual_budget")
    clash = db.session.scalar(select(PartnerUnit.id).where(PartnerUnit.name == name, PartnerUnit.id != (unit.id or 0)))
    if clash:
        raise DomainError(_l("A partner unit with this name exists already."), "name")
    villages = db.session.scalars(select(Village).where(Village.id.in_(village_ids))).all()
    before = {"budget_fen": unit.annual_budget_fen} if unit.id else None
    unit.name, unit.kind = name, kind
    unit.contact_name, unit.contact_phone, unit.contact_email = contact_name.strip(), contact_phone.strip(), contact_email.strip()
    unit.annual_budget_fen = annual_budget_fen
    unit.allow_over_budget = bool(allow_over_budget)
    unit.villages = villages
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "unit_saved", "partner_unit", unit.id, before=before,
                 after={"budget_fen": annual_budget_fen, "allow_over_budget": unit.allow_over_budget, "villages": sorted(v.id for v in villages)})
    db.session.commit()
    return unit
