"""Courtyard (庭院): crowdfunding village goods from poor households' courtyards.

The package import stays light so that pure tools such as
``python -m courtyard.allocation`` start fast; the Flask app is built on demand.
"""


def create_app(config=None):
    """Build the Flask application (see :mod:`courtyard.app`)."""
    from courtyard.app import build_app

    return build_app(config)
