"""Work-team page action for an adoption (认养) that cannot be raised: moved to another household or refunded."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from courtyard.access import allocation_run_in_scope
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Adoption
from courtyard.models.types import utcnow
from courtyard.services.supply import adoption_shortfall
from courtyard.text.formatting import fen
from courtyard.team import bp


class AdoptionShortfallForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Give a reason for the change.")), Length(max=500)])


@bp.route("/allocation/runs/<int:run_id>/adoptions/<int:adoption_id>/shortfall", methods=["POST"])
def adoption_shortfall_resolve(run_id, adoption_id):
    """The goose died or was rejected: the adoption goes to the poorest household with room, or the unit is refunded."""
    run = allocation_run_in_scope(run_id)
    adoption = db.session.get(Adoption, adoption_id)
    if adoption is None or adoption.run_id != run.id:
        return redirect(url_for("team.allocation_run", run_id=run.id))
    form = AdoptionShortfallForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for the change."), "error")
        return redirect(url_for("team.allocation_run", run_id=run.id))
    try:
        outcome, detail = adoption_shortfall.resolve(current_user, adoption, form.reason.data, utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("The adoption now goes to %(name)s; the unit and both households are told.", name=detail.head_name)
              if outcome == "replaced" else
              _("No household has room: %(amount)s is refunded to the unit, who is told.", amount=fen(detail)), "success")
    return redirect(url_for("team.allocation_run", run_id=run.id))
