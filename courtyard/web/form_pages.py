"""The one way a view handles a submitted form: validate, call a service, show its error at the field."""

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _

from wtforms import Field, FieldList

from courtyard.errors import DomainError
from courtyard.extensions import db


def attach_error(form, error):
    """Show a service's DomainError next to the field it names, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if isinstance(field, Field) and not isinstance(field, FieldList):
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def form_page(form, save, template, done_url, message=None, **context):
    """Render ``template`` with ``form``; on a valid submit call ``save()`` and redirect to ``done_url``.

    ``done_url`` may be a callable that receives what ``save`` returned.
    """
    if form.validate_on_submit():
        try:
            result = save()
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(message or _("Saved."), "success")
            return redirect(done_url(result) if callable(done_url) else done_url)
    return render_template(template, form=form, **context), 422 if request.method == "POST" else 200


def flash_outcome(call, message):
    """For a button with no fields: call the service, flash ``message`` (or ``message(result)`` when it is a
    function of what the service returned), or roll back and flash its error."""
    try:
        result = call()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(message(result) if callable(message) else message, "success")
