"""County pages for purchase contracts: draft, print, upload the signed scan, put in force, fulfil or end early."""

from flask import Response, abort, current_app, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.county import bp
from courtyard.county.cooperative_forms import ContractForm, ReasonForm, ScanForm
from courtyard.errors import DomainError
from courtyard.exports.contract import contract_data, render_contract_pdf
from courtyard.extensions import db
from courtyard.web.form_fields import options
from courtyard.web.form_pages import flash_outcome, form_page
from courtyard.models import Cooperative, Household, PartnerUnit, ProduceItem, PurchaseContract
from courtyard.models.types import utcnow
from courtyard.web.paging import page_of
from courtyard.services.contracts import drafting, progress, scans, states


@bp.route("/contracts")
def contract_list():
    page = page_of(select(PurchaseContract).order_by(PurchaseContract.id.desc()))
    return render_template("county/contracts.html", contracts=page.items, page=page,
                           short=progress.short_contracts(utcnow()))


def _choices(form):
    form.seller.choices = options([("household", _("A household (by mobile number)"))] + [
        (f"cooperative:{c.id}", c.name) for c in db.session.scalars(select(Cooperative).order_by(Cooperative.name))])
    form.buyer.choices = options([(0, current_app.config["COUNTY_NAME"])] + [
        (u.id, u.name) for u in db.session.scalars(select(PartnerUnit).order_by(PartnerUnit.name))])
    form.item.choices = options((i.id, i.name) for i in db.session.scalars(select(ProduceItem).order_by(ProduceItem.name)))


def _seller(form):
    if form.seller.data.startswith("cooperative:"):
        return None, int(form.seller.data.split(":", 1)[1])
    household = db.session.scalar(select(Household).where(Household.phone == (form.household_phone.data or "").strip()))
    if household is None:
        raise DomainError(_("No household has this mobile number."), "household_phone")
    return household.id, None


@bp.route("/contracts/new", methods=["GET", "POST"])
def contract_new():
    form = ContractForm()
    _choices(form)

    def save():
        household_id, cooperative_id = _seller(form)
        contract = drafting.draft(current_user, drafting.ContractTerms(
            item_id=form.item.data, season=form.season.data, min_units=form.min_units.data,
            max_units=form.max_units.data, floor_price_fen=form.floor_price.data, starts_on=form.starts_on.data,
            ends_on=form.ends_on.data, delivery_place=form.delivery_place.data, household_id=household_id,
            cooperative_id=cooperative_id, unit_id=form.buyer.data or None, every_days=form.every_days.data,
            units_each_time=form.units_each_time.data), utcnow())
        db.session.commit()
        return contract

    return form_page(form, save, "county/form.html", lambda c: url_for("county.contract_detail", contract_id=c.id),
                     title=_("Draft a purchase contract"), back=url_for("county.contract_list"))


@bp.route("/contracts/<int:contract_id>")
def contract_detail(contract_id):
    contract = db.get_or_404(PurchaseContract, contract_id)
    return render_template("county/contract_detail.html", contract=contract, scan_form=ScanForm(),
                           end_form=ReasonForm(prefix="end"),
                           progress=progress.progress(contract, utcnow()))


@bp.route("/contracts/<int:contract_id>.pdf")
def contract_pdf(contract_id):
    contract = db.get_or_404(PurchaseContract, contract_id)
    pdf = render_contract_pdf(contract_data(contract, current_app.config["COUNTY_NAME"]), utcnow())
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=contract-{contract.number}.pdf"})


@bp.route("/contracts/<int:contract_id>/scan", methods=["GET", "POST"])
def contract_scan(contract_id):
    contract = db.get_or_404(PurchaseContract, contract_id)
    form = ScanForm()
    if not form.is_submitted():
        path = scans.scan_path(contract.scan)
        if path is None:
            abort(404)
        return send_file(path, mimetype="application/pdf" if path.endswith(".pdf") else "image/jpeg")

    def save():
        states.sign(current_user, contract, scans.save_scan(form.scan.data), utcnow())
        db.session.commit()
        return contract

    return form_page(form, save, "county/contract_detail.html", url_for("county.contract_detail", contract_id=contract.id),
                     message=_("The signed contract is kept."), contract=contract, scan_form=form,
                     end_form=ReasonForm(prefix="end"),
                     progress=progress.progress(contract, utcnow()))


@bp.route("/contracts/<int:contract_id>/<any(activate, fulfil):step>", methods=["POST"])
def contract_step(contract_id, step):
    contract = db.get_or_404(PurchaseContract, contract_id)
    move = states.activate if step == "activate" else states.fulfil
    flash_outcome(lambda: (move(current_user, contract, utcnow()), db.session.commit()), _("Saved."))
    return redirect(url_for("county.contract_detail", contract_id=contract.id))


@bp.route("/contracts/<int:contract_id>/end", methods=["POST"])
def contract_end(contract_id):
    contract = db.get_or_404(PurchaseContract, contract_id)
    form = ReasonForm(prefix="end")

    def save():
        states.end_early(current_user, contract, form.reason.data, utcnow())
        db.session.commit()
        return contract

    return form_page(form, save, "county/contract_detail.html", url_for("county.contract_detail", contract_id=contract.id),
                     contract=contract, scan_form=ScanForm(), end_form=form,
                     progress=progress.progress(contract, utcnow()))
