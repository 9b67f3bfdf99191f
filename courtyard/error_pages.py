"""Friendly error pages: never a bare 500 for something the user did."""

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def _page(status, title, message):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app):
    @app.errorhandler(403)
    def forbidden(_error):
        return _page(403, _("Not allowed"), _("Your account cannot open this page."))

    @app.errorhandler(404)
    def not_found(_error):
        return _page(404, _("Page not found"), _("The page you asked for does not exist, or is not yours to see."))

    @app.errorhandler(413)
    def too_large(_error):
        return _page(413, _("File too large"), _("The file is larger than 8 MB. Please choose a smaller one."))

    @app.errorhandler(429)
    def too_many(_error):
        return _page(429, _("Too many attempts"), _("Too many attempts. Please wait a minute and try again."))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return _page(400, _("Form expired"), _("The form expired or was sent from elsewhere. Please go back, reload and try again."))

    @app.errorhandler(500)
    def server_error(_error):
        return _page(500, _("Something went wrong"), _("Something went wrong on our side. Nothing was saved; please try again."))
