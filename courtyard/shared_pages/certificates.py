"""A partner unit's annual 消费帮扶 certificate (PDF), shared by the unit (its own) and the county (any unit):
``register(bp)`` adds ``<bp>.support_certificate``."""

from flask import Response, abort, current_app, flash, redirect, request, url_for

from courtyard.access import unit_in_scope
from courtyard.errors import DomainError
from courtyard.exports.certificate import render_certificate_pdf
from courtyard.models.types import utcnow
from courtyard.services.money.support_certificate import certificate_data

FIRST_YEAR, LAST_YEAR = 2000, 2099


def support_certificate(unit_id, year):
    unit = unit_in_scope(unit_id)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    try:
        data = certificate_data(unit, year, current_app.config["COUNTY_NAME"], utcnow())
    except DomainError as error:
        flash(str(error.message), "error")
        back = "partner.statement" if request.blueprint == "partner" else "county.unit_detail"
        return redirect(url_for(back, **({"unit_id": unit.id} if request.blueprint == "county" else {})))
    return Response(render_certificate_pdf(data), mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename=certificate-{year}-{unit.id}.pdf"})


def register(bp):
    bp.add_url_rule("/units/<int:unit_id>/certificate/<int:year>.pdf", "support_certificate", support_certificate)
