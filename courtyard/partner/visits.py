"""A partner unit registers its representatives for village visits, cancels, declines a new date."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.access import visit_registration_in_scope
from courtyard.errors import DomainError
from courtyard.exports.visit_ics import registration_calendar
from courtyard.extensions import db
from courtyard.models import OPEN_VISIT_STATES, Visit, VisitRegistration
from courtyard.models.types import utcnow
from courtyard.web.form_pages import form_page
from courtyard.partner import bp
from courtyard.partner.forms import RepresentativeForm
from courtyard.services.visits import visit_registrations


def _mine(visit_id=None):
    query = select(VisitRegistration).where(VisitRegistration.unit_id == current_user.partner_unit_id)
    if visit_id is not None:
        query = query.where(VisitRegistration.visit_id == visit_id)
    return db.session.scalars(query.order_by(VisitRegistration.id)).all()


@bp.route("/visits")
def visit_list():
    now = utcnow()
    upcoming = db.session.scalars(select(Visit).where(Visit.state.in_(OPEN_VISIT_STATES), Visit.starts_at > now)
                                  .order_by(Visit.starts_at)).all()
    open_to_us = [v for v in upcoming if visit_registrations.may_register(v, current_user.partner_unit_id)]
    mine = _mine()
    return render_template("partner/visit_list.html", visits=open_to_us, registrations=mine, now=now,
                           positions={r.id: visit_registrations.waitlist_position(r) for r in mine})


@bp.route("/visits/<int:visit_id>", methods=["GET", "POST"])
def visit_detail(visit_id):
    visit = db.session.get(Visit, visit_id)
    if visit is None or visit.state == "done" and not _mine(visit_id):
        abort(404)
    now = utcnow()
    form = RepresentativeForm()
    save = lambda: visit_registrations.register(current_user, visit, current_user.partner_unit_id,  # noqa: E731
                                                form.name.data, form.phone.data, utcnow())

    def done(registration):
        if registration.state == "waitlisted":
            flash(_("The visit is full: %(name)s is number %(n)s on the waiting list.", name=registration.name,
                    n=visit_registrations.waitlist_position(registration)), "info")
        return url_for("partner.visit_detail", visit_id=visit.id)

    mine = _mine(visit.id)
    open_for_us = visit_registrations.accepts_registrations(visit, now) and visit_registrations.may_register(visit, current_user.partner_unit_id)
    return form_page(form, save, "partner/visit_detail.html", done, message=_("Representative registered."),
                     visit=visit, registrations=mine, now=now, open_for_us=open_for_us,
                     positions={r.id: visit_registrations.waitlist_position(r) for r in mine})


def _leave(registration_id, leave, message):
    registration = visit_registration_in_scope(registration_id)
    try:
        leave(current_user, registration, utcnow())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(message, "success")
    return redirect(url_for("partner.visit_detail", visit_id=registration.visit_id))


@bp.route("/visits/registrations/<int:registration_id>/cancel", methods=["POST"])
def visit_registration_cancel(registration_id):
    return _leave(registration_id, visit_registrations.cancel, _("Registration cancelled."))


@bp.route("/visits/registrations/<int:registration_id>/decline", methods=["POST"])
def visit_registration_decline(registration_id):
    return _leave(registration_id, visit_registrations.decline, _("You declined the new date; the seat is freed."))


@bp.route("/visits/registrations/<int:registration_id>.ics")
def visit_registration_ics(registration_id):
    registration = visit_registration_in_scope(registration_id)
    body = registration_calendar(registration, utcnow())
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f"attachment; filename=visit-{registration.visit_id}-{registration.id}.ics"})
