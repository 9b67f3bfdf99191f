"""The collection-day phone sheet, shared by the work team (its village) and a cooperative (its members).

``add_routes(bp, scope)`` registers the sheet (``collection_round``) and its card form
(``collection_record``) onto a blueprint; ``scope`` says which round the user may open and which
households' lines it shows. The team's own extras (offline sync, the time and place, finishing, the
pick list) stay on the team's pages and show only there. (To move to ``shared_pages/`` with #22.)
"""

from dataclasses import dataclass
from typing import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.shared_pages.collection_forms import CollectionDayForm, CollectionForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error
from courtyard.models import AllocationLine, AllocationRun, Household
from courtyard.models.types import utcnow
from courtyard.services.supply import collection
from courtyard.shared_pages.collection_cards import REJECT_REASONS, collection_cards
from courtyard.web.confirm_form import ConfirmForm


@dataclass(frozen=True)
class SheetScope:
    round_in_scope: Callable  # round_id -> DeliveryRound, or 404
    households: Callable  # () -> a select of the household ids whose lines the sheet shows
    day: Callable  # round -> the user's CollectionDay, or None (a cooperative's members bring on several)


def round_lines(round_id, household_ids):
    """The published lines of a round for ``household_ids`` (a select), whatever village's run they are in."""
    return db.session.scalars(select(AllocationLine).join(AllocationRun).where(
        AllocationRun.round_id == round_id, AllocationRun.state == "published",
        AllocationLine.household_id.in_(household_ids))).all()


def sheet_context(bp_name, scope, round_):
    lines = [l for l in round_lines(round_.id, scope.households()) if l.units or l.pinned]
    households = {h.id: h for h in db.session.scalars(select(Household).where(
        Household.id.in_({l.household_id for l in lines})))}
    lines.sort(key=lambda l: (households[l.household_id].head_name, l.household_id, l.item_id))
    records = collection.records_of(round_.id, households)
    cards, totals = collection_cards(lines, households, records)
    day = scope.day(round_)
    return {"round": round_, "day": day, "lines": lines, "households": households, "records": records,
            "confirm": ConfirmForm(), "cards": cards, "totals": totals, "reasons": REJECT_REASONS, "bp": bp_name,
            "open": round_.state == "allocated" and (day is None or day.finished_at is None) and bool(lines)}


def record_form(context, **kwargs):
    form = CollectionForm(**kwargs)
    households = context["households"]
    form.household.choices = options((h.id, h.head_name) for h in sorted(households.values(), key=lambda h: (h.head_name, h.id)))
    form.item.choices = options(sorted({(l.item_id, l.item.name) for l in context["lines"]}, key=lambda c: c[1]))
    return form


def day_form(context):
    day = context["day"]
    return CollectionDayForm(prefix="day", obj=day) if day else CollectionDayForm(prefix="day")


def add_routes(bp, scope):
    """Register the sheet and its card form on ``bp`` for the households of ``scope``."""

    @bp.route("/collection/<int:round_id>", endpoint="collection_round")
    def collection_round(round_id):
        context = sheet_context(bp.name, scope, scope.round_in_scope(round_id))
        return render_template("team/collection_round.html", form=record_form(context), day_form=day_form(context),
                               **context)

    @bp.route("/collection/<int:round_id>/record", methods=["POST"], endpoint="collection_record")
    def collection_record(round_id):
        round_ = scope.round_in_scope(round_id)
        context = sheet_context(bp.name, scope, round_)
        form = record_form(context)
        if form.validate_on_submit():
            try:
                goods = collection.record_collection(current_user, round_, form.household.data, form.item.data,
                                                     form.accepted.data, form.rejected.data, form.reason.data, utcnow())
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                attach_error(form, error)
            else:
                allocated = next((l.units for l in context["lines"]
                                  if (l.household_id, l.item_id) == (goods.household_id, goods.item_id)), 0)
                if form.rejected.data or goods.units < allocated:
                    flash(_("Saved. What was missing was handed to other households; see the list."), "success")
                else:
                    flash(_("Saved."), "success")
                return redirect(url_for(f"{bp.name}.collection_round", round_id=round_.id))
        return render_template("team/collection_round.html", form=form, day_form=day_form(context),
                               **sheet_context(bp.name, scope, round_)), 422
