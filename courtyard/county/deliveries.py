"""County pages for deliveries: an offer's plan and rounds, packing, shipping, the on-time rate, problems."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from courtyard.access import complaint_in_scope, deliveries_visible_to, delivery_in_scope, delivery_round_in_scope
from courtyard.county import bp
from courtyard.county.delivery_forms import DeliveryFilterForm, PlanForm, ResolveForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Box, Campaign, CampaignPackage, Delivery, DeliveryPlan, DeliveryRound
from courtyard.models.types import utcnow
from courtyard.services.deliveries import deliveries, delivery_complaints, delivery_rounds, packing
from courtyard.web.confirm_form import ConfirmForm
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error, flash_outcome, form_page
from courtyard.web.paging import page_of


@bp.route("/campaigns/<int:campaign_id>/offers/<int:offer_id>/plan", methods=["GET", "POST"])
def offer_plan(campaign_id, offer_id):
    offer = db.session.get(CampaignPackage, offer_id)
    if offer is None or offer.campaign_id != campaign_id:
        abort(404)
    plan = db.session.scalar(select(DeliveryPlan).where(DeliveryPlan.offer_id == offer.id))
    form = PlanForm(obj=plan) if plan and request.method == "GET" else PlanForm()
    if plan and request.method == "GET":
        form.dates.data = delivery_rounds.plan_dates(plan) if plan.dates else []
    rounds = db.session.scalars(select(DeliveryRound).where(DeliveryRound.offer_id == offer.id)
                                .order_by(DeliveryRound.number)).all()
    save = lambda: delivery_rounds.set_plan(  # noqa: E731
        current_user, offer.id, utcnow(), dates=form.dates.data, window_start=form.window_start.data,
        window_end=form.window_end.data, every_days=form.every_days.data, cutoff_days=form.cutoff_days.data,
        delivery_hour=form.delivery_hour.data)
    return form_page(form, save, "county/offer_plan.html", url_for("county.offer_plan", campaign_id=campaign_id,
                                                                   offer_id=offer.id),
                     message=_("Delivery plan saved; the rounds are listed below."), offer=offer, rounds=rounds)


# what a table of deliveries shows of each, loaded with the page
LIST_LOADS = (joinedload(Delivery.round).joinedload(DeliveryRound.offer).joinedload(CampaignPackage.package),
              joinedload(Delivery.unit), joinedload(Delivery.address))


def packed_boxes(page_items):
    """{delivery id: boxes packed} for a page of deliveries, counted by the database (not loaded to count)."""
    return dict(db.session.execute(select(Box.delivery_id, func.count(Box.id))
                                   .where(Box.delivery_id.in_([d.id for d in page_items]))
                                   .group_by(Box.delivery_id)).all())


@bp.route("/rounds")
def round_list():
    rounds = db.session.scalars(select(DeliveryRound).order_by(DeliveryRound.delivers_on, DeliveryRound.id)).all()
    return render_template("county/rounds.html", rounds=rounds, confirm=ConfirmForm())


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id):
    round_ = delivery_round_in_scope(round_id)
    query = select(Delivery).where(Delivery.round_id == round_.id)
    page = page_of(query.options(*LIST_LOADS).order_by(Delivery.id))
    return render_template("county/round_detail.html", round=round_, deliveries=page.items, page=page,
                           rate=deliveries.on_time_rate_of(query), packed=packed_boxes(page.items))


@bp.route("/rounds/<int:round_id>/allocate", methods=["POST"])
def round_allocate(round_id):
    """Allocate now, without waiting for the cut-off (e.g. when the job was down)."""
    round_ = delivery_round_in_scope(round_id)
    if ConfirmForm().validate_on_submit():
        flash_outcome(lambda: delivery_rounds.allocate_round(current_user, round_, utcnow()) or _already(),
                 _("Round allocated; the work teams and households can see what to bring."))
    return redirect(url_for("county.round_detail", round_id=round_.id))


def _already():
    raise DomainError(_("This round is already allocated."))


@bp.route("/rounds/<int:round_id>/pack", methods=["POST"])
def round_pack(round_id):
    round_ = delivery_round_in_scope(round_id)
    if ConfirmForm().validate_on_submit():
        try:
            result = packing.pack_round(current_user, round_, utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("%(n)s boxes packed with trace codes.", n=result.boxes), "success")
            if result.short_boxes:
                flash(_("%(n)s boxes are short of some goods; see the packing lists.", n=result.short_boxes), "error")
    return redirect(url_for("county.round_detail", round_id=round_.id))


@bp.route("/deliveries")
def delivery_list():
    form = DeliveryFilterForm(request.args)
    form.campaign.choices = options([("", _("All"))] + [
        (c.id, c.title) for c in db.session.scalars(select(Campaign).order_by(Campaign.closes_at.desc()))])
    query = deliveries_visible_to(current_user).join(DeliveryRound)
    if form.validate():
        if form.state.data:
            query = query.where(Delivery.state == form.state.data)
        if form.campaign.data:
            query = query.where(DeliveryRound.campaign_id == form.campaign.data)
    page = page_of(query.options(*LIST_LOADS).order_by(Delivery.promised_by.desc(), Delivery.id.desc()))
    return render_template("county/deliveries.html", form=form, deliveries=page.items, page=page,
                           rate=deliveries.on_time_rate_of(query), packed=packed_boxes(page.items),
                           complaints=delivery_complaints.open_complaints(), now=utcnow())


def _detail_context(delivery):
    return {"delivery": delivery, "contents": deliveries.contents(delivery), "origins": deliveries.origins(delivery),
            "confirm": ConfirmForm(), "now": utcnow(), "steps": deliveries.COUNTY_STEPS}


@bp.route("/deliveries/<int:delivery_id>")
def delivery_detail(delivery_id):
    delivery = delivery_in_scope(delivery_id)
    return render_template("county/delivery_detail.html", resolve_form=ResolveForm(), **_detail_context(delivery))


@bp.route("/deliveries/<int:delivery_id>/advance", methods=["POST"])
def delivery_advance(delivery_id):
    delivery = delivery_in_scope(delivery_id)
    if ConfirmForm().validate_on_submit():
        flash_outcome(lambda: deliveries.advance(current_user, delivery, utcnow()), _("Saved."))
    return redirect(url_for("county.delivery_detail", delivery_id=delivery.id))


@bp.route("/deliveries/<int:delivery_id>/packing-list")
def packing_list(delivery_id):
    """The printable packing list of one destination: its boxes, trace codes and contents."""
    delivery = delivery_in_scope(delivery_id)
    return render_template("county/packing_list.html", delivery=delivery, boxes=packing.packing_list(delivery))


@bp.route("/complaints/<int:complaint_id>/resolve", methods=["POST"])
def complaint_resolve(complaint_id):
    complaint = complaint_in_scope(complaint_id)
    form = ResolveForm()
    save = lambda: delivery_complaints.resolve(current_user, complaint, form.resolution.data, form.note.data,  # noqa: E731
                                               utcnow(), amount_fen=form.amount.data)
    if form.validate_on_submit():
        try:
            save()
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Problem resolved."), "success")
            return redirect(url_for("county.delivery_detail", delivery_id=complaint.delivery_id))
    delivery = delivery_in_scope(complaint.delivery_id)
    return render_template("county/delivery_detail.html", resolve_form=form, resolving=complaint.id,
                           **_detail_context(delivery)), 422
