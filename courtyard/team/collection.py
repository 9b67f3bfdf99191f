"""Work-team pages for collection day: when and where, the pick list, what each household brought."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import delivery_round_in_scope, team_village_id
from courtyard.shared_pages.collection import SheetScope, add_routes, record_form, sheet_context
from courtyard.errors import DomainError
from courtyard.exports.pick_list import pick_list_data, render_pick_list_pdf
from courtyard.extensions import db
from courtyard.models import Village
from courtyard.models.types import utcnow
from courtyard.services.supply import collection
from courtyard.shared_pages.collection_forms import CollectionDayForm
from courtyard.web.form_pages import attach_error
from courtyard.team import bp
from courtyard.web.confirm_form import ConfirmForm
from courtyard.services.places import households


@bp.route("/collection")
def collection_rounds():
    days = collection.days_of_village(team_village_id())
    return render_template("team/collection_rounds.html", days=days)


def _scope_households():
    return households.ids_of_village(team_village_id())


SCOPE = SheetScope(round_in_scope=delivery_round_in_scope, households=_scope_households,
                   day=lambda round_: collection.collection_day(round_.id, team_village_id()))
add_routes(bp, SCOPE)


@bp.route("/collection/<int:round_id>/day", methods=["POST"])
def collection_day(round_id):
    round_ = delivery_round_in_scope(round_id)
    context = sheet_context(bp.name, SCOPE, round_)
    day_form = CollectionDayForm(prefix="day")
    if day_form.validate_on_submit():
        try:
            collection.set_collection_day(current_user, round_, team_village_id(), day_form.starts_at.data,
                                          day_form.place.data, utcnow())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            attach_error(day_form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("team.collection_round", round_id=round_.id))
    return render_template("team/collection_round.html", form=record_form(context), day_form=day_form, **context), 422


@bp.route("/collection/<int:round_id>/finish", methods=["POST"])
def collection_finish(round_id):
    round_ = delivery_round_in_scope(round_id)
    if ConfirmForm().validate_on_submit():
        try:
            collection.finish_collection(current_user, round_, team_village_id(), utcnow())
            db.session.commit()
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
