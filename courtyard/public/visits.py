"""The public page of a visit: what, when, where, seats left; no representative or household names."""

from flask import render_template

from courtyard.extensions import db
from courtyard.models import Visit
from courtyard.models.types import utcnow
from courtyard.public import bp
from courtyard.services.visits.visit_registrations import accepts_registrations
from courtyard.services.visits.visit_registrations import units_confirmed, waiting_count
from courtyard.web.short_cache import anonymous_page


@bp.route("/visits/<int:visit_id>")
@anonymous_page
def visit_page(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    waiting, units = waiting_count(visit.id), units_confirmed(visit.id)
    return render_template("public/visit.html", visit=visit, waiting=waiting, units=units,
                           hosts=sum(1 for host in visit.hosts if host.visitors), open=accepts_registrations(visit, utcnow()))
