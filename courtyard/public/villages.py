"""Public village pages: each village's produce, photos and how many households take part."""

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courtyard.extensions import db
from courtyard.models import Township, Village
from courtyard.public import bp
from courtyard.services.places.village_profile import village_profile


@bp.route("/villages")
def villages():
    townships = db.session.scalars(select(Township).options(selectinload(Township.villages)).order_by(Township.name)).all()
    return render_template("public/villages.html", townships=townships)


@bp.route("/villages/<int:village_id>")
def village(village_id):
    found = db.session.get(Village, village_id)
    if found is None:
        abort(404)
    return render_template("public/village.html", profile=village_profile(found))
