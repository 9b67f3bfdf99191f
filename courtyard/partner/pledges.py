"""A partner unit pledges packages in an open campaign, pays, cancels, asks for an invoice."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from courtyard.access import pledge_in_scope
from courtyard.errors import DomainError
from courtyard.exports.receipt import receipt_data, render_receipt_pdf
from courtyard.extensions import db
from courtyard.models import Campaign, DeliveryAddress, Pledge
from courtyard.models.types import utcnow
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error, form_page
from courtyard.web.paging import page_of
from courtyard.partner import bp
from courtyard.partner.forms import AddressForm, CardForm, InvoiceForm, PledgeForm
from courtyard.services.campaigns.campaigns import accepts_pledges, progress
from courtyard.services.payments import card_payments, card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from courtyard.services.supply import adoptions


def _addresses():
    return db.session.scalars(select(DeliveryAddress).where(
        DeliveryAddress.unit_id == current_user.partner_unit_id, DeliveryAddress.active.is_(True)).order_by(DeliveryAddress.id)).all()


@bp.route("/addresses", methods=["GET", "POST"])
def addresses():
    form = AddressForm()
    save = lambda: pledges.add_address(current_user, current_user.partner_unit, form.label.data, form.address.data,  # noqa: E731
                                       form.contact_name.data or "", form.contact_phone.data or "")
    target = request.args.get("campaign")
    done = url_for("partner.pledge_new", campaign_id=int(target)) if target and target.isdigit() else url_for("partner.addresses")
    return form_page(form, save, "partner/addresses.html", done, message=_("Address added."), addresses=_addresses())


@bp.route("/campaigns/<int:campaign_id>/pledge", methods=["GET", "POST"])
def pledge_new(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    now = utcnow()
    if not accepts_pledges(campaign, now):
        flash(_("This campaign is not taking pledges now."), "error")
        return redirect(url_for("partner.home"))
    places = _addresses()
    if not places:
        flash(_("Add a delivery address first."), "info")
        return redirect(url_for("partner.addresses", campaign=campaign.id))
    form = PledgeForm()
    offer_choices = options([(0, "—")] + [(o.id, f"{o.package.name} · {o.price_fen / 100:.2f} · {_('%(n)s left', n=o.remaining)}")
                                          for o in campaign.offers if o.active])
    for line in form.lines:
        line.offer_id.choices = offer_choices
        line.address_id.choices = options((a.id, a.label) for a in places)

    def save():
        lines = [LineInput(l.offer_id.data, l.address_id.data, l.quantity.data or 0) for l in form.lines if l.offer_id.data]
        return pledges.create_pledge(current_user, current_user.partner_unit_id, campaign.id, lines, form.method.data, utcnow())

    return form_page(form, save, "partner/pledge_form.html", lambda p: url_for("partner.pledge_detail", pledge_id=p.id),
                     message=_("Pledge recorded."), campaign=campaign, progress=progress(campaign, now))


@bp.route("/pledges")
def pledge_list():
    page = page_of(select(Pledge).where(Pledge.unit_id == current_user.partner_unit_id)
                   .options(selectinload(Pledge.lines), joinedload(Pledge.campaign)).order_by(Pledge.id.desc()))
    return render_template("partner/pledges.html", pledges=page.items, page=page)


@bp.route("/pledges/<int:pledge_id>")
def pledge_detail(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    return render_template("partner/pledge_detail.html", pledge=pledge, card=CardForm(), invoice=InvoiceForm(),
                           can_cancel=_can_cancel(pledge), adoptions=adoptions.published_adoptions_of_pledge(pledge.id))


def _can_cancel(pledge):
    return pledge.state in ("authorized", "awaiting_transfer", "paid", "payment_pending") and \
        pledge.campaign.state == "open" and utcnow() < pledge.campaign.closes_at


@bp.route("/pledges/<int:pledge_id>/pay", methods=["POST"])
def pledge_pay(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    form = CardForm()
    if form.validate_on_submit():
        try:
            card_payments.pay_by_card(pledge, form.card_number.data.replace(" ", ""))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Payment done.") if pledge.state == "paid" else _("Card authorised: it is charged only if the campaign reaches its goal."), "success")
            return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))
    return render_template("partner/pledge_detail.html", pledge=pledge, card=form, invoice=InvoiceForm(),
                           can_cancel=_can_cancel(pledge)), 422


@bp.route("/pledges/<int:pledge_id>/cancel", methods=["POST"])
def pledge_cancel(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    try:
        card_settlement.cancel_by_unit(pledge, current_user, utcnow())
        flash(_("Pledge cancelled."), "success")
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))


@bp.route("/pledges/<int:pledge_id>/invoice", methods=["POST"])
def pledge_invoice(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    form = InvoiceForm()
    return form_page(form, lambda: pledges.request_invoice(current_user, pledge, form.title.data, form.tax_number.data, utcnow()),
                     "partner/pledge_detail.html", url_for("partner.pledge_detail", pledge_id=pledge.id),
                     message=_("Invoice asked for."), pledge=pledge, card=CardForm(), invoice=form, can_cancel=_can_cancel(pledge))


@bp.route("/pledges/<int:pledge_id>/receipt.pdf")
def pledge_receipt(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    try:
        pdf = render_receipt_pdf(receipt_data(pledge, utcnow()))
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=receipt-{pledge.reference}.pdf"})
