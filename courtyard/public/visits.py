"""The public page of a visit: what, when, where, seats left; no representative or household names."""

from flask import render_template
from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import Visit, VisitRegistration
from courtyard.models.types import utcnow
from courtyard.public import bp
from courtyard.services.visits.visit_registrations import accepts_registrations


@bp.route("/visits/<int:visit_id>")
def visit_page(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    waiting = db.session.scalar(select(func.count(VisitRegistration.id)).where(
        VisitRegistration.visit_id == visit.id, VisitRegistration.state == "waitlisted"))
    units = db.session.scalar(select(func.count(func.distinct(VisitRegistration.unit_id))).where(
        VisitRegistration.visit_id == visit.id, VisitRegistration.state == "confirmed"))
    return render_template("public/visit.html", visit=visit, waiting=waiting, units=units,
                           hosts=sum(1 for host in visit.hosts if host.visitors), open=accepts_registrations(visit, utcnow()))
