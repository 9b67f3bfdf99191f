"""Which channels a person wants for each kind of message.

Defaults come from the template (:mod:`courtyard.messages.sms_templates`); a ``NoticePreference``
row overrides them. Money messages always reach the inbox. A household's choices are set by its
work team (``set_for`` with ``household_id``); a unit's messages follow the choice its users made
last (each user's row is kept under their own id).
"""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.messages.sms_templates import TEMPLATES
from courtyard.models import NoticePreference, User
from courtyard.models.types import utcnow


def defaults(kind):
    template = TEMPLATES[kind]
    return {"inbox": True, "sms": "sms" in template.default_channels, "mail": "mail" in template.default_channels}


def _row_for(recipient, kind):
    query = select(NoticePreference).where(NoticePreference.kind == kind)
    if recipient.household_id is not None:
        return db.session.scalar(query.where(NoticePreference.household_id == recipient.household_id))
    if recipient.user_id is not None:
        return db.session.scalar(query.where(NoticePreference.user_id == recipient.user_id))
    if recipient.partner_unit_id is not None:
        return db.session.scalar(query.join(User, NoticePreference.user_id == User.id).where(
            User.partner_unit_id == recipient.partner_unit_id).order_by(NoticePreference.updated_at.desc()).limit(1))
    return None


def channels_for(recipient, kind):
    """``{"inbox": bool, "sms": bool, "mail": bool}`` for this person and kind."""
    row = _row_for(recipient, kind)
    chosen = defaults(kind) if row is None else {"inbox": row.inbox, "sms": row.sms, "mail": row.mail}
    if TEMPLATES[kind].money:
        chosen["inbox"] = True
    return chosen


def choices(kinds, *, user_id=None, household_id=None):
    """``{kind: {"inbox", "sms", "mail"}}`` as stored (or the defaults) for a user or a household."""
    rows = db.session.scalars(select(NoticePreference).where(
        NoticePreference.household_id == household_id if household_id is not None
        else NoticePreference.user_id == user_id)).all()
    stored = {row.kind: {"inbox": row.inbox, "sms": row.sms, "mail": row.mail} for row in rows}
    return {kind: stored.get(kind, defaults(kind)) for kind in kinds}


def set_for(actor, kind, chosen, *, user_id=None, household_id=None, now=None):
    """Store a choice for a user or a household (flushes; the caller commits)."""
    query = select(NoticePreference).where(NoticePreference.kind == kind)
    query = query.where(NoticePreference.household_id == household_id) if household_id is not None \
        else query.where(NoticePreference.user_id == user_id)
    row = db.session.scalar(query)
    if row is None:
        row = NoticePreference(kind=kind, user_id=None if household_id is not None else user_id,
                               household_id=household_id)
        db.session.add(row)
    row.inbox = bool(chosen.get("inbox")) or TEMPLATES[kind].money
    row.sms, row.mail = bool(chosen.get("sms")), bool(chosen.get("mail"))
    row.updated_by_id, row.updated_at = getattr(actor, "id", None), now or utcnow()
    db.session.flush()
    return row
