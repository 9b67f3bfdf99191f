"""County pages for campaigns: create, open, follow, close; transfers, refunds and invoices."""

from datetime import datetime, time, timedelta, timezone

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from courtyard.localtime import LOCAL_ZONE
from courtyard.county import bp
from courtyard.county.campaign_forms import MODES, CampaignForm, RefundForm, TransferForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign, Package, Pledge
from courtyard.models.types import utcnow
from courtyard.services.campaigns import campaign_close, campaigns, close_preview
from courtyard.services.campaigns.campaigns import OfferInput
from courtyard.services.catalog.photos import stored_photo
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.supply import supply_caps
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error, form_page
from courtyard.web.paging import page_of


@bp.route("/campaigns")
def campaign_list():
    page = page_of(select(Campaign).order_by(Campaign.closes_at.desc(), Campaign.id.desc()))
    progress = campaigns.progress_of_each(page.items, utcnow())
    return render_template("county/campaigns.html", campaigns=[(c, progress[c.id]) for c in page.items], page=page,
                           modes=MODES)


def _offer_inputs(form):
    return [OfferInput(o.package_id.data, o.price.data or 0, o.cap.data or 0, o.delivery_plan.data or "")
            for o in form.offers if o.package_id.data]


@bp.route("/campaigns/new", methods=["GET", "POST"], defaults={"campaign_id": None})
@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
def campaign_form(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id) if campaign_id else Campaign(state="draft")
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    offers = [{"package_id": o.package_id, "price": o.price_fen, "cap": o.cap, "delivery_plan": o.delivery_plan}
              for o in campaign.offers]
    form = CampaignForm(data={
        "title": campaign.title, "story": campaign.story, "mode": campaign.mode or "all_or_nothing",
        "goal_kind": campaign.goal_kind or "packages",
        "goal_value": (campaign.goal_value // 100 if campaign.goal_kind == "fen" else campaign.goal_value) if campaign_id else None,
        "opens_at": campaign.opens_at or now, "closes_at": campaign.closes_at or now + timedelta(days=14),
        "limit_per_unit": campaign.limit_per_unit, "limit_per_address": campaign.limit_per_address,
        "transfer_grace_days": campaign.transfer_grace_days or 7, "offers": offers,
    })
    while len(form.offers) < max(3, len(offers) + 1):
        form.offers.append_entry()
    choices = options([(0, "—")] + [(p.id, f"{p.name} ({p.price_fen / 100:.2f})") for p in
                                    db.session.scalars(select(Package).where(Package.active.is_(True)).order_by(Package.name))])
    for offer in form.offers:
        offer.package_id.choices = choices

    def save():
        goal = form.goal_value.data * (100 if form.goal_kind.data == "fen" else 1)
        with stored_photo(form.photo.data) as photo:
            return campaigns.save_campaign(
                current_user, campaign, title=form.title.data, story=form.story.data, mode=form.mode.data,
                goal_kind=form.goal_kind.data, goal_value=goal, opens_at=form.opens_at.data, closes_at=form.closes_at.data,
                limit_per_address=form.limit_per_address.data, limit_per_unit=form.limit_per_unit.data,
                transfer_grace_days=form.transfer_grace_days.data, offers=_offer_inputs(form), photo=photo)

    title = _("Edit campaign") if campaign_id else _("New campaign")
    return form_page(form, save, "county/campaign_form.html", lambda c: url_for("county.campaign_detail", campaign_id=c.id),
                     title=title, campaign=campaign)


@bp.route("/campaigns/<int:campaign_id>")
def campaign_detail(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    page = page_of(select(Pledge).where(Pledge.campaign_id == campaign.id).order_by(Pledge.id.desc())
                   .options(selectinload(Pledge.lines), joinedload(Pledge.unit)))
    now = utcnow()
    return render_template("county/campaign_detail.html", campaign=campaign, pledges=page.items, page=page,
                           progress=campaigns.progress(campaign, now), now=now, modes=MODES,
                           supply=campaigns.supply_by_offer(campaign), shortages=supply_caps.shortages(campaign.id),
                           close_preview=close_preview.close_preview(campaign, now) if campaign.state == "open" else None)


@bp.route("/campaigns/<int:campaign_id>/open", methods=["POST"])
def campaign_open(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    try:
        campaigns.open_campaign(current_user, campaign, utcnow())
        flash(_("The campaign is open."), "success")
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(url_for("county.campaign_detail", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/close", methods=["POST"])
def campaign_close_now(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    now = utcnow()
    if campaign.state == "open" and campaign.closes_at > now:
        flash(_("The campaign closes at its closing time; change the closing time to close it earlier."), "error")
    else:
        counts = campaign_close.close_campaign(campaign, now, current_user)
        flash(_("Closed: %(captured)s captured, %(released)s released, %(refunded)s refunded, %(errors)s to retry.", **counts), "success")
    return redirect(url_for("county.campaign_detail", campaign_id=campaign.id))


@bp.route("/pledges/<int:pledge_id>", methods=["GET", "POST"])
def pledge_admin(pledge_id):
    pledge = db.get_or_404(Pledge, pledge_id)
    transfer, refund = TransferForm(prefix="transfer"), RefundForm(prefix="refund")
    now = utcnow()
    action = request.form.get("action")
    try:
        if action == "transfer" and transfer.validate_on_submit():
            received = datetime.combine(transfer.received_on.data, time(12), LOCAL_ZONE).astimezone(timezone.utc)
            pledges.record_transfer(current_user, pledge, transfer.amount.data, transfer.bank_reference.data, received, now)
            flash(_("Transfer recorded; the pledge is paid."), "success")
            return redirect(url_for("county.pledge_admin", pledge_id=pledge.id))
        if action == "refund" and refund.validate_on_submit():
            card_settlement.refund(pledge, refund.amount.data, refund.reason.data, current_user)
            flash(_("Refund recorded."), "success")
            return redirect(url_for("county.pledge_admin", pledge_id=pledge.id))
        if action == "invoice":
            pledges.mark_invoice_issued(current_user, pledge, now)
            flash(_("Invoice marked as issued."), "success")
            return redirect(url_for("county.pledge_admin", pledge_id=pledge.id))
    except DomainError as error:
        attach_error(transfer if action == "transfer" else refund, error)
        if action == "invoice":
            flash(str(error.message), "error")
    status = 422 if request.method == "POST" else 200
    return render_template("county/pledge_admin.html", pledge=pledge, transfer=transfer, refund=refund), status

