"""County pages for partner units and their users."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courtyard.county import bp
from courtyard.county.forms import StaffUserForm, UnitForm
from courtyard.extensions import db
from courtyard.models import PartnerUnit
from courtyard.models.types import utcnow
from courtyard.services.identity import accounts
from courtyard.services.money.budgets import budget_of
from courtyard.services.places import places, units
from courtyard.text.display_names import UNIT_KIND_LABELS
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page
from courtyard.web.paging import page_of


@bp.route("/units")
def unit_list():
    page = page_of(select(PartnerUnit).order_by(PartnerUnit.name, PartnerUnit.id).options(selectinload(PartnerUnit.villages)))
    return render_template("county/units.html", units=page.items, page=page)


@bp.route("/units/new", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_form(unit_id):
    unit = db.get_or_404(PartnerUnit, unit_id) if unit_id else PartnerUnit()
    form = UnitForm(data={
        "name": unit.name, "kind": unit.kind, "contact_name": unit.contact_name, "contact_phone": unit.contact_phone,
        "contact_email": unit.contact_email, "annual_budget": unit.annual_budget_fen,
        "villages": [v.id for v in unit.villages], "allow_over_budget": unit.allow_over_budget,
    })
    form.kind.choices = options(UNIT_KIND_LABELS.items())
    form.villages.choices = options(places.village_choices())
    save = lambda: units.save_unit(  # noqa: E731
        current_user, unit, name=form.name.data, kind=form.kind.data, contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "", contact_email=form.contact_email.data or "",
        annual_budget_fen=form.annual_budget.data, village_ids=form.villages.data or [],
        allow_over_budget=form.allow_over_budget.data,
    )
    title = _("Edit partner unit") if unit_id else _("New partner unit")
    return form_page(form, save, "county/form.html", lambda u: url_for("county.unit_detail", unit_id=u.id),
                     title=title, back=url_for("county.unit_list"))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit_detail(unit_id):
    unit = db.get_or_404(PartnerUnit, unit_id)
    form = StaffUserForm()
    save = lambda: accounts.create_staff_user(  # noqa: E731
        current_user, "partner", form.login.data, form.password.data, form.display_name.data, form.phone.data or "",
        partner_unit=unit,
    )
    return form_page(form, save, "county/unit_detail.html", url_for("county.unit_detail", unit_id=unit.id),
                     message=_("User added."), unit=unit, budget=budget_of(unit, utcnow()))
