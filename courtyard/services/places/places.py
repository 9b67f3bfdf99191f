"""Townships and villages."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Township, Village
from courtyard.services.operations import audit


def save_township(actor, township, name):
    name = name.strip()
    clash = db.session.scalar(select(Township.id).where(Township.name == name, Township.id != (township.id or 0)))
    if clash:
        raise DomainError(_l("A township with this name exists already."), "name")
    township.name = name
    db.session.add(township)
    db.session.flush()
    audit.record(actor, "township_saved", "township", township.id, name=name)
    db.session.commit()
    return township


def save_village(actor, village, township_id, name, description=""):
    name = name.strip()
    if db.session.get(Township, township_id) is None:
        raise DomainError(_l("Choose a township."), "township_id")
    clash = db.session.scalar(
        select(Village.id).where(Village.township_id == township_id, Village.name == name, Village.id != (village.id or 0))
    )
    if clash:
        raise DomainError(_l("This township already has a village with this name."), "name")
    village.township_id, village.name, village.description = township_id, name, description.strip()
    db.session.add(village)
    db.session.flush()
    audit.record(actor, "village_saved", "village", village.id, name=name)
    db.session.commit()
    return village


def village_choices():
    """``[(id, "township village")]`` for a select field, by village name, in one query."""
    return [(v.id, v.full_name) for v in db.session.scalars(
        select(Village).options(joinedload(Village.township)).order_by(Village.name, Village.id))]
