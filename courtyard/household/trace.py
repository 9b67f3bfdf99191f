"""The household's own batch record, from its phone: how it grew or raised what it brings."""

from flask import url_for
from flask_login import current_user

from courtyard.access import batch_in_scope
from courtyard.household import bp
from courtyard.shared_pages.trace import batch_form_page


@bp.route("/batches/<int:round_id>/<int:item_id>", methods=["GET", "POST"])
def batch(round_id, item_id):
    round_, household, item = batch_in_scope(round_id, current_user.household_id, item_id)
    return batch_form_page(round_, household, item, "household/batch.html", url_for("household.home"))
