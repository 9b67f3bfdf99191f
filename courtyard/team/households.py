"""Work-team pages for the households of its own village."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from courtyard.access import household_in_scope, households_visible_to, team_village_id
from courtyard.models import TIERS, Household
from courtyard.services.identity import accounts
from courtyard.services.places import households
from courtyard.services.places.households import HouseholdData
from courtyard.web.form_pages import form_page
from courtyard.web.paging import page_of
from courtyard.team import bp
from courtyard.team.forms import HouseholdForm, PinForm
from courtyard.web.confirm_form import ConfirmForm

@bp.route("/households")
def household_list():
    query = households_visible_to(current_user)
    q, tier = request.args.get("q", "").strip(), request.args.get("tier", "")
    show_inactive = request.args.get("inactive") == "1"
    if q:
        query = query.where(Household.head_name.contains(q) | Household.phone.contains(q))
    if tier in TIERS:
        query = query.where(Household.tier == tier)
    if not show_inactive:
        query = query.where(Household.active.is_(True))
    page = page_of(query.order_by(Household.head_name, Household.id).options(selectinload(Household.account)))
    return render_template("team/households.html", page=page, q=q, tier=tier, show_inactive=show_inactive)


def _data(form):
    """Blank ID and card fields mean: keep what is stored."""
    return HouseholdData(
        head_name=form.head_name.data, tier=form.tier.data, member_count=form.member_count.data,
        members=form.members.data or "", phone=form.phone.data or "",
        id_number=form.id_number.data or None,
        bank_card=form.bank_card.data or None, notes=form.notes.data or "",
    )


@bp.route("/households/new", methods=["GET", "POST"])
def household_new():
    form = HouseholdForm()
    save = lambda: households.create(current_user, team_village_id(), _data(form))  # noqa: E731
    return form_page(form, save, "team/household_form.html", lambda h: url_for("team.household_detail", household_id=h.id),
                     message=_("Household added."), household=None)


@bp.route("/households/<int:household_id>")
def household_detail(household_id):
    household = household_in_scope(household_id)
    return render_template("team/household_detail.html", household=household, pin_form=PinForm(), confirm=ConfirmForm())


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
def household_edit(household_id):
    household = household_in_scope(household_id)
    # ID and card numbers are never sent back to the browser: blank means keep
    form = HouseholdForm(data={field: getattr(household, field) for field in
                               ("head_name", "tier", "member_count", "members", "phone", "notes")})
    save = lambda: households.update(current_user, household, _data(form))  # noqa: E731
    return form_page(form, save, "team/household_form.html", url_for("team.household_detail", household_id=household.id),
                     household=household)


@bp.route("/households/<int:household_id>/pin", methods=["POST"])
def household_pin(household_id):
    household = household_in_scope(household_id)
    form = PinForm()
    return form_page(form, lambda: accounts.set_household_pin(current_user, household, form.pin.data),
                     "team/household_detail.html", url_for("team.household_detail", household_id=household.id),
                     message=_("PIN set. Tell the household in person; it is not shown again."),
                     household=household, pin_form=form, confirm=ConfirmForm())


@bp.route("/households/<int:household_id>/active/<int:active>", methods=["POST"])
def household_active(household_id, active):
    household = household_in_scope(household_id)
    if ConfirmForm().validate_on_submit():
        households.set_active(current_user, household, bool(active))
        flash(_("Household reactivated.") if active else _("Household deactivated; its login is closed."), "success")
    return redirect(url_for("team.household_detail", household_id=household.id))


@bp.route("/households/<int:household_id>/sign-out", methods=["POST"])
def household_sign_out(household_id):
    """End every login of the household (a lost or shared phone); its PIN keeps working."""
    household = household_in_scope(household_id)
    if ConfirmForm().validate_on_submit() and household.account is not None:
        accounts.sign_out_everywhere(current_user, household.account)
        flash(_("The household is signed out on every phone."), "success")
    return redirect(url_for("team.household_detail", household_id=household.id))
