"""Friendly error pages: never a bare 500 for something the user did."""

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

from courtyard.extensions import db
from courtyard.web.api_errors import error_response, from_http_exception, is_api_request


def _page(status, title, message):
    if is_api_request():  # an API client gets the API's JSON error, even where no API view was reached
        return error_response(status)
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app):
    @app.errorhandler(400)
    def bad_request(error):
        """A request the app refused on purpose (``abort(400, description=…)``) says why."""
        if is_api_request():
            return from_http_exception(error)
        own = error.description if error.description != type(error).description else None
        return _page(400, _("Not understood"), own or _("The request is not well formed."))

    @app.errorhandler(403)
    def forbidden(_error):
        return _page(403, _("Not allowed"), _("Your account cannot open this page."))

    @app.errorhandler(404)
    def not_found(_error):
        return _page(404, _("Page not found"), _("The page you asked for does not exist, or is not yours to see."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return from_http_exception(error) if is_api_request() else error

    @app.errorhandler(413)
    def too_large(_error):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return _page(413, _("File too large"), _("The file is larger than %(mb)s MB. Please choose a smaller one.", mb=limit))

    @app.errorhandler(429)
    def too_many(_error):
        return _page(429, _("Too many attempts"), _("Too many attempts. Please wait a minute and try again."))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return _page(400, _("Form expired"), _("The form expired or was sent from elsewhere. Please go back, reload and try again."))

    @app.errorhandler(DBAPIError)
    def database_lost(error):
        """The database went away mid-request (restart, failover): the transaction is rolled back; retry."""
        if not error.connection_invalidated:
            raise error
        db.session.rollback()
        app.logger.warning("database connection lost during %s", error.statement and error.statement.split()[0])
        return _page(503, _("Busy for a moment"),
                     _("The service lost its database connection for a moment. Nothing was saved; please try again."))

    @app.errorhandler(500)
    def server_error(_error):
        return _page(500, _("Something went wrong"), _("Something went wrong on our side. Nothing was saved; please try again."))
