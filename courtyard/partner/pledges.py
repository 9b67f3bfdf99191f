"""A partner unit pledges packages in an open campaign, pays, cancels, asks for an invoice."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import pledge_in_scope
from courtyard.errors import DomainError
from courtyard.exports.receipt import receipt_data, render_receipt_pdf
from courtyard.extensions import db
from courtyard.models import Campaign
from courtyard.models.types import utcnow
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error, form_page
from courtyard.web.paging import page_of
from courtyard.partner import bp
from courtyard.partner.card_payments import detail_page
from courtyard.partner.forms import AddressForm, InvoiceForm, PledgeForm
from courtyard.services.money import invoices as documents
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.campaigns.campaigns import accepts_pledges, progress
from courtyard.services.pledges.pledges import LineInput


def _addresses():
    return pledges.active_addresses(current_user.partner_unit_id)


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
    page = page_of(pledges.of_unit(current_user.partner_unit_id))
    return render_template("partner/pledges.html", pledges=page.items, page=page)


@bp.route("/pledges/<int:pledge_id>")
def pledge_detail(pledge_id):
    return detail_page(pledge_in_scope(pledge_id))


@bp.route("/pledges/<int:pledge_id>/cancel", methods=["POST"])
def pledge_cancel(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    try:
        card_settlement.cancel_by_unit(pledge, current_user, utcnow())
        db.session.commit()
        flash(_("Pledge cancelled."), "success")
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))


@bp.route("/pledges/<int:pledge_id>/invoice", methods=["POST"])
def pledge_invoice(pledge_id):
    pledge = pledge_in_scope(pledge_id)
    form = InvoiceForm()
    if form.validate_on_submit():
        try:
            documents.request_invoice(current_user, pledge, form.title.data, form.tax_number.data, utcnow())
            db.session.commit()
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Invoice asked for."), "success")
            return redirect(url_for("partner.pledge_detail", pledge_id=pledge.id))
    return detail_page(pledge, 422, invoice=form)


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
