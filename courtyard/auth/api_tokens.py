"""The API tokens page, the same for every role: make a named token (shown once), see when each was
last used, revoke one."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.access import api_token_in_scope, role_required
from courtyard.auth import bp
from courtyard.auth.forms import ApiTokenForm
from courtyard.errors import DomainError
from courtyard.models import ROLES
from courtyard.models.types import utcnow
from courtyard.services.identity import api_tokens
from courtyard.web.form_pages import attach_error


@bp.route("/api-tokens", methods=["GET", "POST"])
@role_required(*ROLES)
def api_tokens_page():
    form = ApiTokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _token, secret = api_tokens.create_token(current_user, form.name.data, utcnow())
        except DomainError as error:
            attach_error(form, error)
        else:
            form = ApiTokenForm(formdata=None)
    status = 422 if request.method == "POST" and secret is None else 200
    return render_template("auth/api_tokens.html", form=form, secret=secret, tokens=api_tokens.tokens_of(current_user),
                           big_type=current_user.role == "household"), status


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@role_required(*ROLES)
def api_token_revoke(token_id):
    api_tokens.revoke(current_user, api_token_in_scope(token_id), utcnow())
    flash(_("The token no longer works."), "success")
    return redirect(url_for("auth.api_tokens_page"))
