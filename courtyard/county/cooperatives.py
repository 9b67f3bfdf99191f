"""County pages for cooperatives and shops: register one, its fee terms, its member households, its users."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.county import bp
from courtyard.county.cooperative_forms import CooperativeForm, MemberForm
from courtyard.county.forms import StaffUserForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page
from courtyard.text.display_names import COOPERATIVE_KIND_LABELS, FEE_KIND_LABELS
from courtyard.models import Cooperative, Household, Township
from courtyard.web.paging import page_of
from courtyard.services.identity import accounts
from courtyard.services.cooperatives import queries, registry


@bp.route("/cooperatives")
def cooperative_list():
    page = page_of(select(Cooperative).order_by(Cooperative.name, Cooperative.id))
    return render_template("county/cooperatives.html", cooperatives=page.items, page=page)


SHOWN_FIELDS = ("name", "kind", "township_id", "legal_person", "licence_number", "contact_phone", "fee_kind", "fee_value")


@bp.route("/cooperatives/new", methods=["GET", "POST"], defaults={"cooperative_id": None})
@bp.route("/cooperatives/<int:cooperative_id>/edit", methods=["GET", "POST"])
def cooperative_form(cooperative_id):
    cooperative = db.get_or_404(Cooperative, cooperative_id) if cooperative_id else None
    # The account on file is never shown again (nor decrypted to draw the form): only the other fields are filled.
    shown = {name: getattr(cooperative, name) for name in SHOWN_FIELDS} if cooperative else None
    form = CooperativeForm(data=shown)
    form.kind.choices = options(COOPERATIVE_KIND_LABELS.items())
    form.fee_kind.choices = options(FEE_KIND_LABELS.items())
    form.township_id.choices = options((t.id, t.name) for t in db.session.scalars(select(Township).order_by(Township.name)))

    def save():
        saved = registry.save_cooperative(current_user, registry.CooperativeDetails(
            name=form.name.data, kind=form.kind.data, township_id=form.township_id.data,
            legal_person=form.legal_person.data, licence_number=form.licence_number.data,
            contact_phone=form.contact_phone.data or "", bank_account=form.bank_account.data or "",
            fee_kind=form.fee_kind.data, fee_value=form.fee_value.data or 0), cooperative)
        db.session.commit()
        return saved

    title = _("Edit cooperative") if cooperative else _("Register a cooperative or shop")
    return form_page(form, save, "county/form.html", lambda c: url_for("county.cooperative_detail", cooperative_id=c.id),
                     title=title, back=url_for("county.cooperative_list"))


@bp.route("/cooperatives/<int:cooperative_id>", methods=["GET", "POST"])
def cooperative_detail(cooperative_id):
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    form = MemberForm(prefix="member")

    def save():
        household = db.session.scalar(select(Household).where(Household.phone == (form.phone.data or "").strip()))
        if household is None:
            raise DomainError(_("No household has this mobile number."), "phone")
        member = registry.add_member(current_user, cooperative, household.id, form.shares.data)
        db.session.commit()
        return member

    return form_page(form, save, "county/cooperative_detail.html",
                     url_for("county.cooperative_detail", cooperative_id=cooperative.id), message=_("Member saved."),
                     cooperative=cooperative, members=queries.members_of(cooperative.id), member_form=form,
                     users=queries.users_of(cooperative.id),
                     user_form=StaffUserForm(prefix="user"))


@bp.route("/cooperatives/<int:cooperative_id>/users", methods=["POST"])
def cooperative_user_new(cooperative_id):
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    form = StaffUserForm(prefix="user")
    save = lambda: accounts.create_staff_user(  # noqa: E731
        current_user, "cooperative", form.login.data, form.password.data, form.display_name.data,
        form.phone.data or "", cooperative=cooperative)
    return form_page(form, save, "county/cooperative_detail.html",
                     url_for("county.cooperative_detail", cooperative_id=cooperative.id), message=_("User added."),
                     cooperative=cooperative, members=queries.members_of(cooperative.id), user_form=form,
                     users=queries.users_of(cooperative.id),
                     member_form=MemberForm(prefix="member"))
