"""The visit organiser's pages, for the work team (its village) and the county admin (any village).

``add_routes(bp)`` puts the same pages on the ``team`` and the ``county`` blueprint; every visit
is fetched through :func:`courtyard.access.visit_in_scope`, so a team sees only its village's.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.access import team_village_id, visit_in_scope, visits_visible_to
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign, Household, Visit, VisitRegistration
from courtyard.models.types import utcnow
from courtyard.services.places import places
from courtyard.services.visits import visit_hosts, visit_registrations, visits
from courtyard.shared_pages.visit_forms import CancelVisitForm, RescheduleForm, VisitForm, hosts_form
from courtyard.text.masking import mask_phone
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page


def _url(endpoint, **values):
    return url_for(f"{request.blueprint}.{endpoint}", **values)


def visit_list():
    rows = db.session.scalars(visits_visible_to(current_user).order_by(Visit.starts_at.desc())).all()
    return render_template("team/visit_list.html", visits=rows)


def _campaign_choices(form):
    campaigns = db.session.scalars(select(Campaign).where(Campaign.state != "draft").order_by(Campaign.closes_at.desc()))
    form.campaign_id.choices = options([(0, _("Any partner unit"))] + [
        (c.id, _("Units that pledged in %(campaign)s", campaign=c.title)) for c in campaigns])


def _details(form, starts_at=None, ends_at=None):
    return visits.VisitDetails(
        title=form.title.data, starts_at=starts_at or form.starts_at.data, ends_at=ends_at or form.ends_at.data,
        meeting_point=form.meeting_point.data, capacity=form.capacity.data, per_unit_limit=form.per_unit_limit.data,
        registration_deadline=form.registration_deadline.data, directions=form.directions.data or "",
        activities=tuple(form.activities.data or ()), campaign_id=form.campaign_id.data or None,
        fee_fen=form.fee.data or 0, transport_notes=form.transport_notes.data or "",
        meal_notes=form.meal_notes.data or "", safety_notes=form.safety_notes.data or "")


def visit_new():
    form = VisitForm()
    if current_user.role == "team":
        del form.village_id  # a team organises in its own village
    else:
        form.village_id.choices = options(places.village_choices())
    _campaign_choices(form)

    def save():
        village_id = team_village_id() if current_user.role == "team" else form.village_id.data
        return visits.create_visit(current_user, village_id, _details(form), utcnow())

    return form_page(form, save, "team/visit_form.html", lambda visit: _url("visit_detail", visit_id=visit.id),
                     message=_("Visit created."), visit=None)


def visit_edit(visit_id):
    """Change what the visit offers; its time moves only through the reschedule page, which tells everyone."""
    visit = visit_in_scope(visit_id)
    form = VisitForm(obj=visit if request.method == "GET" else None)
    if request.method == "GET":
        form.fee.data, form.campaign_id.data = visit.fee_fen or None, visit.campaign_id or 0
    del form.village_id, form.starts_at, form.ends_at
    _campaign_choices(form)
    save = lambda: visits.update_details(current_user, visit, _details(form, visit.starts_at, visit.ends_at),  # noqa: E731
                                         utcnow())
    return form_page(form, save, "team/visit_form.html", _url("visit_detail", visit_id=visit.id),
                     message=_("Visit saved."), visit=visit)


def visit_detail(visit_id):
    visit = visit_in_scope(visit_id)
    positions = {r.id: visit_registrations.waitlist_position(r) for r in visit.registrations}
    return render_template("team/visit_detail.html", visit=visit, positions=positions,
                           by_unit=visit_registrations.attendance_by_unit(visit), mask_phone=mask_phone,
                           host_capacity=visit_hosts.host_capacity(visit), now=utcnow())


def visit_hosts_page(visit_id):
    visit = visit_in_scope(visit_id)
    households = db.session.scalars(select(Household).where(
        Household.village_id == visit.village_id, Household.active.is_(True)).order_by(Household.head_name, Household.id)).all()
    form = hosts_form(households, {host.household_id: host.capacity for host in visit.hosts})

    def save():
        capacities = {h.id: form[f"h{h.id}"].data or 0 for h in households}
        visit_hosts.set_hosts(current_user, visit, capacities, utcnow())

    return form_page(form, save, "team/visit_hosts.html", _url("visit_detail", visit_id=visit.id),
                     message=_("Hosts saved and visitors shared."), visit=visit, households=households)


def visit_reschedule(visit_id):
    visit = visit_in_scope(visit_id)
    form = RescheduleForm()
    if request.method == "GET":
        form.starts_at.data, form.ends_at.data = visit.starts_at, visit.ends_at
    save = lambda: visits.reschedule(current_user, visit, form.starts_at.data, form.ends_at.data,  # noqa: E731
                                     form.reason.data, utcnow(), form.registration_deadline.data)
    return form_page(form, save, "team/visit_change.html", _url("visit_detail", visit_id=visit.id),
                     message=_("The date is moved and every unit is told."), visit=visit,
                     heading=_("Move the date"))


def visit_cancel(visit_id):
    visit = visit_in_scope(visit_id)
    form = CancelVisitForm()
    save = lambda: visits.cancel_visit(current_user, visit, form.reason.data, utcnow())  # noqa: E731
    return form_page(form, save, "team/visit_change.html", _url("visit_detail", visit_id=visit.id),
                     message=_("The visit is cancelled and every unit is told."), visit=visit,
                     heading=_("Cancel the visit"))


def visit_checkin(visit_id):
    """The organiser's phone page on the day: each confirmed representative, attended or no-show."""
    visit = visit_in_scope(visit_id)
    confirmed = sorted((r for r in visit.registrations if r.state == "confirmed"), key=lambda r: (r.unit.name, r.id))
    return render_template("team/visit_checkin.html", visit=visit, registrations=confirmed,
                           by_unit=visit_registrations.attendance_by_unit(visit), mask_phone=mask_phone)


def visit_mark(visit_id, registration_id, attendance):
    visit = visit_in_scope(visit_id)
    registration = db.session.get(VisitRegistration, registration_id)
    if registration is None or registration.visit_id != visit.id:
        abort(404)
    try:
        visit_registrations.mark_attendance(current_user, registration, attendance, utcnow())
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(_url("visit_checkin", visit_id=visit.id) + f"#r{registration.id}")


def visit_done(visit_id):
    visit = visit_in_scope(visit_id)
    try:
        visits.finish(current_user, visit, utcnow())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The visit is done; the host fees are fixed."), "success")
    return redirect(_url("visit_detail", visit_id=visit.id))


def add_routes(bp):
    """The organiser's pages on ``bp`` (``team`` or ``county``)."""
    bp.add_url_rule("/visits", "visit_list", visit_list)
    bp.add_url_rule("/visits/new", "visit_new", visit_new, methods=["GET", "POST"])
    bp.add_url_rule("/visits/<int:visit_id>", "visit_detail", visit_detail)
    bp.add_url_rule("/visits/<int:visit_id>/edit", "visit_edit", visit_edit, methods=["GET", "POST"])
    bp.add_url_rule("/visits/<int:visit_id>/hosts", "visit_hosts", visit_hosts_page, methods=["GET", "POST"])
    bp.add_url_rule("/visits/<int:visit_id>/reschedule", "visit_reschedule", visit_reschedule, methods=["GET", "POST"])
    bp.add_url_rule("/visits/<int:visit_id>/cancel", "visit_cancel", visit_cancel, methods=["GET", "POST"])
    bp.add_url_rule("/visits/<int:visit_id>/check-in", "visit_checkin", visit_checkin)
    bp.add_url_rule("/visits/<int:visit_id>/check-in/<int:registration_id>/<any(attended, no_show):attendance>",
                    "visit_mark", visit_mark, methods=["POST"])
    bp.add_url_rule("/visits/<int:visit_id>/done", "visit_done", visit_done, methods=["POST"])

