"""The work team's view of its households' integrity records: figures to help, not punish.

A household with rejections at several collections is flagged for training; contracts of the
village's sellers that are behind their minimum are listed.
"""

from flask import render_template
from sqlalchemy import select

from courtyard.access import team_village_id
from courtyard.extensions import db
from courtyard.models import Household
from courtyard.models.types import utcnow
from courtyard.web.paging import page_of
from courtyard.services.contracts.progress import short_contracts
from courtyard.services.integrity import record
from courtyard.team import bp


@bp.route("/integrity")
def integrity():
    village_households = select(Household.id).where(Household.village_id == team_village_id())
    page = page_of(select(Household).where(Household.village_id == team_village_id())
                   .order_by(Household.head_name, Household.id))
    figures = record.per_household([h.id for h in page.items])
    return render_template("team/integrity.html", page=page, figures=figures,
                           training=record.needs_training(village_households),
                           names=dict(db.session.execute(select(Household.id, Household.head_name).where(
                               Household.id.in_(record.needs_training(village_households)))).all()),
                           short=short_contracts(utcnow(), team_village_id()))
