"""Work-team pages for collection day: when and where, the pick list, what each household brought."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.access import delivery_round_in_scope, team_village_id
from courtyard.errors import DomainError
from courtyard.exports.pick_list import pick_list_data, render_pick_list_pdf
from courtyard.extensions import db
from courtyard.models import CollectionDay, DeliveryRound, Household, Village
from courtyard.models.types import utcnow
from courtyard.services.supply import collection
from courtyard.team.collection_forms import CollectionDayForm, CollectionForm
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error
from courtyard.team import bp
from courtyard.team.collection_cards import REJECT_REASONS, collection_cards
from courtyard.web.confirm_form import ConfirmForm


@bp.route("/collection")
def collection_rounds():
    days = db.session.scalars(select(CollectionDay).join(DeliveryRound).where(
        CollectionDay.village_id == team_village_id()).order_by(CollectionDay.starts_at.desc())).all()
    return render_template("team/collection_rounds.html", days=days)


def _context(round_):
    village_id = team_village_id()
    run = collection.round_run(round_.id, village_id)
    lines = [l for l in run.lines if l.units or l.pinned] if run else []
    households = {h.id: h for h in db.session.scalars(select(Household).where(
        Household.id.in_({l.household_id for l in lines})))}
    lines.sort(key=lambda l: (households[l.household_id].head_name, l.household_id, l.item_id))
    records = collection.records_of(round_.id, households)
    cards, totals = collection_cards(lines, households, records)
    return {"round": round_, "day": collection.collection_day(round_.id, village_id), "lines": lines,
            "households": households, "records": records, "confirm": ConfirmForm(), "cards": cards,
            "totals": totals, "reasons": REJECT_REASONS}


def _record_form(context, **kwargs):
    form = CollectionForm(**kwargs)
    households = context["households"]
    form.household.choices = options((h.id, h.head_name) for h in sorted(households.values(), key=lambda h: (h.head_name, h.id)))
    form.item.choices = options(sorted({(l.item_id, l.item.name) for l in context["lines"]}, key=lambda c: c[1]))
    return form


def _day_form(context):
    day = context["day"]
    return CollectionDayForm(prefix="day", obj=day) if day else CollectionDayForm(prefix="day")


@bp.route("/collection/<int:round_id>")
def collection_round(round_id):
    context = _context(delivery_round_in_scope(round_id))
    return render_template("team/collection_round.html", form=_record_form(context), day_form=_day_form(context), **context)


@bp.route("/collection/<int:round_id>/record", methods=["POST"])
def collection_record(round_id):
    round_ = delivery_round_in_scope(round_id)
    context = _context(round_)
    form = _record_form(context)
    if form.validate_on_submit():
        try:
            goods = collection.record_collection(current_user, round_, form.household.data, form.item.data,
                                                 form.accepted.data, form.rejected.data, form.reason.data, utcnow())
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            if form.rejected.data or goods.units < _allocated(context, goods):
                flash(_("Saved. What was missing was handed to other households; see the list."), "success")
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("team.collection_round", round_id=round_.id))
    return render_template("team/collection_round.html", form=form, day_form=_day_form(context), **_context(round_)), 422


def _allocated(context, goods):
    return next((l.units for l in context["lines"] if (l.household_id, l.item_id) == (goods.household_id, goods.item_id)), 0)


@bp.route("/collection/<int:round_id>/day", methods=["POST"])
def collection_day(round_id):
    round_ = delivery_round_in_scope(round_id)
    context = _context(round_)
    day_form = CollectionDayForm(prefix="day")
    if day_form.validate_on_submit():
        try:
            collection.set_collection_day(current_user, round_, team_village_id(), day_form.starts_at.data,
                                          day_form.place.data, utcnow())
        except DomainError as error:
            db.session.rollback()
            attach_error(day_form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("team.collection_round", round_id=round_.id))
    return render_template("team/collection_round.html", form=_record_form(context), day_form=day_form, **context), 422


@bp.route("/collection/<int:round_id>/finish", methods=["POST"])
def collection_finish(round_id):
    round_ = delivery_round_in_scope(round_id)
    if ConfirmForm().validate_on_submit():
        try:
            collection.finish_collection(current_user, round_, team_village_id(), utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Collection finished. The county packs the boxes next."), "success")
    return redirect(url_for("team.collection_round", round_id=round_.id))


@bp.route("/collection/<int:round_id>/pick-list.pdf")
def collection_pick_list(round_id):
    round_ = delivery_round_in_scope(round_id)
    village = db.session.get(Village, team_village_id())
    pdf = render_pick_list_pdf(pick_list_data(round_, village), utcnow())
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=pick-list-{round_.id}.pdf"})
