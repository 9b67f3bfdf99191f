"""The empty form behind every button that changes something: just its CSRF token, on any role's page."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: just the CSRF token for a button that changes something."""
