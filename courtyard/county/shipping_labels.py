"""County pages for package labels: a packed round's labels with QR codes, on A4 sheets or thermal rolls."""

from flask import Response, abort, current_app
from sqlalchemy import select

from courtyard.access import delivery_in_scope, delivery_round_in_scope
from courtyard.county import bp
from courtyard.exports.shipping_labels import label_data, render_a4_sheet, render_thermal
from courtyard.extensions import db
from courtyard.models import Box, Delivery

RENDERERS = {"a4": render_a4_sheet, "thermal": render_thermal}


def _pdf(boxes, kind, name):
    if kind not in RENDERERS or not boxes:
        abort(404)
    pdf = RENDERERS[kind](label_data(boxes, current_app.config["PUBLIC_BASE_URL"]))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=labels-{name}-{kind}.pdf"})


@bp.route("/rounds/<int:round_id>/labels-<kind>.pdf")
def round_labels(round_id, kind):
    """Every box of a packed round, in delivery order."""
    round_ = delivery_round_in_scope(round_id)
    boxes = db.session.scalars(select(Box).join(Delivery).where(Delivery.round_id == round_.id)
                               .order_by(Delivery.id, Box.id)).all()
    return _pdf(boxes, kind, f"round-{round_.id}")


@bp.route("/deliveries/<int:delivery_id>/labels-<kind>.pdf")
def delivery_labels(delivery_id, kind):
    """The boxes of one destination (to reprint after a damaged label)."""
    delivery = delivery_in_scope(delivery_id)
    return _pdf(list(delivery.boxes), kind, f"delivery-{delivery.id}")
