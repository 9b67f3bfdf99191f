"""The batch form page shared by the work team and the household: load, save with photos, redirect."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.models.types import utcnow
from courtyard.services.catalog.photos import stored_photo
from courtyard.services.trace import trace
from courtyard.shared_pages.trace_forms import BatchForm, kinds_for
from courtyard.web.form_pages import form_page


def batch_form_page(round_, household, item, template, done_url):
    kinds = kinds_for(item)
    batch = trace.batch_for(household.id, item.id, round_.id)
    form = BatchForm()
    if batch and request.method == "GET":
        form.fill(batch, kinds)

    def save():
        with stored_photo(form.photo.data) as photo:
            return trace.save_batch(current_user, household, item.id, round_.id, utcnow(), started_on=form.started_on.data,
                                    harvested_on=form.harvested_on.data, inputs=form.inputs(kinds), add_photos=[photo])

    return form_page(form, save, template, done_url, message=_("Saved. Buyers will see this when they scan the package."),
                     round=round_, household=household, item=item, kinds=kinds, batch=batch)
