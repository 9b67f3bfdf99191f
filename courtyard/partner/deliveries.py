"""Partner-unit pages for deliveries: upcoming and past, contents and origin, confirm receipt, report a problem."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case
from sqlalchemy.orm import joinedload

from courtyard.access import deliveries_visible_to, delivery_in_scope
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CampaignPackage, Delivery, DeliveryRound
from courtyard.models.types import utcnow
from courtyard.partner.delivery_forms import ReportForm
from courtyard.web.form_pages import form_page
from courtyard.web.paging import page_of
from courtyard.partner import bp
from courtyard.partner.forms import RatingForm
from courtyard.services.catalog.photos import stored_photo
from courtyard.services.deliveries import deliveries, delivery_complaints
from courtyard.services.trace import trace
from courtyard.web.confirm_form import ConfirmForm
from courtyard.services.integrity import ratings


@bp.route("/deliveries")
def delivery_list():
    """Upcoming deliveries soonest first, then past ones latest first, fifty a page."""
    coming = Delivery.state.in_(deliveries.UPCOMING_STATES)
    page = page_of(deliveries_visible_to(current_user)
                   .options(joinedload(Delivery.round).joinedload(DeliveryRound.offer).joinedload(CampaignPackage.package),
                            joinedload(Delivery.address))
                   .order_by(case((coming, 0), else_=1), case((coming, Delivery.promised_by)), Delivery.promised_by.desc(),
                             Delivery.id))
    counts = deliveries.box_counts(page.items)
    return render_template("partner/deliveries.html", page=page, box_count=lambda d: counts[d.id],
                           upcoming=[d for d in page.items if d.state in deliveries.UPCOMING_STATES],
                           past=[d for d in page.items if d.state not in deliveries.UPCOMING_STATES],
                           scans=trace.scans_by_delivery(d.id for d in page.items))


def _context(delivery):
    return {"delivery": delivery, "contents": deliveries.contents(delivery), "origins": deliveries.origins(delivery),
            "confirm": ConfirmForm(), "reportable": delivery.state in delivery_complaints.REPORTABLE,
            "box_scans": trace.scans_by_box([delivery.id]), "ratings": ratings.ratings_of(delivery),
            "rateable": delivery.state in ratings.RATEABLE_STATES, "rating_form": RatingForm}


@bp.route("/deliveries/<int:delivery_id>", methods=["GET", "POST"])
def delivery_detail(delivery_id):
    """The delivery, and the form to report a problem with it (description and an optional photo)."""
    delivery = delivery_in_scope(delivery_id)
    form = ReportForm()

    def save():
        with stored_photo(form.photo.data) as photo:
            return delivery_complaints.report(current_user, delivery, form.description.data, photo, utcnow())

    return form_page(form, save, "partner/delivery_detail.html", url_for("partner.delivery_detail", delivery_id=delivery.id),
                     message=_("Problem reported. The county office will answer within 48 hours."), **_context(delivery))


@bp.route("/deliveries/<int:delivery_id>/confirm", methods=["POST"])
def delivery_confirm(delivery_id):
    delivery = delivery_in_scope(delivery_id)
    if ConfirmForm().validate_on_submit():
        try:
            deliveries.confirm_receipt(current_user, delivery, utcnow())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Thank you: receipt confirmed."), "success")
    return redirect(url_for("partner.delivery_detail", delivery_id=delivery.id))


@bp.route("/deliveries/<int:delivery_id>/rate", methods=["POST"])
def delivery_rate(delivery_id):
    """The optional last step: rate a delivered box (1–5 stars and a comment); it feeds the integrity record."""
    delivery = delivery_in_scope(delivery_id)
    form = RatingForm()
    if form.validate_on_submit():
        try:
            box_id = int(form.box.data) if (form.box.data or "").isdigit() and len(form.box.data) < 10 else 0
            ratings.rate_box(current_user, delivery, box_id, form.stars.data, form.comment.data, utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Thank you for the rating."), "success")
    else:
        flash(_("Choose from 1 to 5 stars."), "error")
    return redirect(url_for("partner.delivery_detail", delivery_id=delivery.id) + "#packages")
