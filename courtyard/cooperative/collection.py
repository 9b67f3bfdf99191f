"""The cooperative's collection days: the team's phone sheet, for its members' lines in each round."""

from flask import render_template
from sqlalchemy import select

from courtyard.access import cooperative_members, cooperative_round_in_scope, cooperative_rounds
from courtyard.shared_pages.collection import SheetScope, add_routes
from courtyard.cooperative import bp
from courtyard.extensions import db
from courtyard.models import DeliveryRound


@bp.route("/collection")
def collection_rounds():
    rounds = db.session.scalars(select(DeliveryRound).where(DeliveryRound.id.in_(cooperative_rounds()))
                                .order_by(DeliveryRound.delivers_on.desc(), DeliveryRound.id.desc())).all()
    return render_template("cooperative/collection_rounds.html", rounds=rounds)


add_routes(bp, SheetScope(round_in_scope=cooperative_round_in_scope, households=cooperative_members,
                          day=lambda round_: None))
