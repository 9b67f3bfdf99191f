"""Handing the boxes to the staff at a delivery point: a phone page to tick each box, and the A4 sheet to sign."""

from flask import Response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import delivery_in_scope, staff_box_in_scope
from courtyard.exports.handover_sheet import handover_data, render_handover_pdf
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.partner import bp
from courtyard.services.staff_offers import boxes
from courtyard.web.form_pages import flash_outcome


@bp.route("/deliveries/<int:delivery_id>/handover")
def staff_handover(delivery_id):
    delivery = delivery_in_scope(delivery_id)
    rows = boxes.handover_rows(delivery.id)
    return render_template("partner/staff_handover.html", delivery=delivery, rows=rows,
                           left=sum(1 for r in rows if r.staff_box.handed_over_at is None))


@bp.route("/deliveries/<int:delivery_id>/handover.pdf")
def staff_handover_pdf(delivery_id):
    delivery = delivery_in_scope(delivery_id)
    pdf = render_handover_pdf(handover_data(delivery, boxes.handover_rows(delivery.id), utcnow()))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=handover-{delivery.id}.pdf"})


@bp.route("/staff-boxes/<int:staff_box_id>/hand-over", methods=["POST"])
def staff_box_hand_over(staff_box_id):
    staff_box = staff_box_in_scope(staff_box_id)
    flash_outcome(lambda: boxes.tick(current_user, staff_box, utcnow()),
                  _("%(name)s's box is handed over.", name=staff_box.choice.member.name))
    db.session.commit()
    return redirect(url_for("partner.staff_handover", delivery_id=staff_box.box.delivery_id) + f"#box-{staff_box.id}")
