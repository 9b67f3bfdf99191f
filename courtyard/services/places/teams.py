"""Village work teams: one per village."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Village, WorkTeam
from courtyard.services.operations import audit


def save_team(actor, team, village_id, name, contact_phone=""):
    if db.session.get(Village, village_id) is None:
        raise DomainError(_l("Choose a village."), "village_id")
    clash = db.session.scalar(select(WorkTeam.id).where(WorkTeam.village_id == village_id, WorkTeam.id != (team.id or 0)))
    if clash:
        raise DomainError(_l("This village already has a work team."), "village_id")
    team.village_id, team.name, team.contact_phone = village_id, name.strip(), contact_phone.strip()
    db.session.add(team)
    db.session.flush()
    audit.record(actor, "team_saved", "work_team", team.id, name=team.name, village_id=village_id)
    db.session.commit()
    return team
