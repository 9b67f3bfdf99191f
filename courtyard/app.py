"""The application factory: it wires extensions, blueprints, errors and commands, nothing more."""

import os

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, lazy_gettext as _l

from courtyard.config import INSTANCE, config_from_env, refuse_unsafe_production
from courtyard.extensions import babel, csrf, db, limiter, login_manager, migrate
from courtyard.text import display_names, formatting, quantities
from courtyard.web import security_headers
from courtyard.web.request_input import CourtyardRequest
from courtyard.web.short_cache import PublicPageCache

LOCALES = ("zh_Hans", "en")
BLUEPRINTS = ("public", "auth", "county", "team", "partner", "household", "staff", "cooperative", "calendar", "inbox",
              "webhooks", "api")


def select_locale():
    """Simplified Chinese by default; English when the visitor switched to it (and in CLI commands)."""
    if not has_request_context():
        return "en"
    if request.path.startswith("/api/"):  # API clients say what they want in Accept-Language
        return "en" if request.accept_languages.best_match(("zh", "en")) == "en" else "zh_Hans"
    return session.get("lang") if session.get("lang") in LOCALES else "zh_Hans"


def build_app(config=None):
    app = Flask(
        "courtyard",
        instance_path=str(INSTANCE),
        template_folder=os.path.join(os.path.dirname(__file__), os.pardir, "templates"),
        static_folder=os.path.join(os.path.dirname(__file__), os.pardir, "static"),
    )
    if isinstance(config, dict):  # overrides on top of the environment's config
        app.config.from_object(config_from_env())
        app.config.update(config)
    else:
        app.config.from_object(config or config_from_env())
    refuse_unsafe_production(app.config)
    app.request_class = CourtyardRequest
    os.makedirs(app.instance_path, exist_ok=True)
    os.makedirs(app.config["UPLOAD_DIR"], exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_templating(app)
    register_errors(app)
    register_commands(app)
    security_headers.init_app(app)
    app.wsgi_app = PublicPageCache(app.wsgi_app, app)
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), os.pardir, "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    import courtyard.access  # noqa: F401  (registers the user loader)


def register_blueprints(app):
    from importlib import import_module

    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"courtyard.{name}").bp)


def register_templating(app):
    formatting.init_app(app)
    quantities.init_app(app)

    @app.context_processor
    def inject_labels():
        return {
            "TIER_LABELS": display_names.TIER_LABELS,
            "CATEGORY_LABELS": display_names.CATEGORY_LABELS,
            "UNIT_KIND_LABELS": display_names.UNIT_KIND_LABELS,
            "ROLE_LABELS": display_names.ROLE_LABELS,
            "CAMPAIGN_STATE_LABELS": display_names.CAMPAIGN_STATE_LABELS,
            "PLEDGE_STATE_LABELS": display_names.PLEDGE_STATE_LABELS,
            "STAFF_OFFER_STATE_LABELS": display_names.STAFF_OFFER_STATE_LABELS,
            "INVOICE_STATE_LABELS": display_names.INVOICE_STATE_LABELS,
            "METHOD_LABELS": display_names.METHOD_LABELS,
            "JOB_OUTCOME_LABELS": display_names.JOB_OUTCOME_LABELS,
            "PACKAGE_KIND_LABELS": display_names.PACKAGE_KIND_LABELS,
            "VISIT_STATE_LABELS": display_names.VISIT_STATE_LABELS,
            "REGISTRATION_STATE_LABELS": display_names.REGISTRATION_STATE_LABELS,
            "ATTENDANCE_LABELS": display_names.ATTENDANCE_LABELS,
            "ACTIVITY_LABELS": display_names.ACTIVITY_LABELS,
            "ROUND_STATE_LABELS": display_names.ROUND_STATE_LABELS,
            "DELIVERY_STATE_LABELS": display_names.DELIVERY_STATE_LABELS,
            "RESOLUTION_LABELS": display_names.RESOLUTION_LABELS,
            "PAYOUT_METHOD_LABELS": display_names.PAYOUT_METHOD_LABELS,
            "LEDGER_KIND_LABELS": display_names.LEDGER_KIND_LABELS,
            "COOPERATIVE_KIND_LABELS": display_names.COOPERATIVE_KIND_LABELS,
            "CONTRACT_STATE_LABELS": display_names.CONTRACT_STATE_LABELS,
            "SANCTION_KIND_LABELS": display_names.SANCTION_KIND_LABELS,
            "county_name": app.config["COUNTY_NAME"],
            "current_lang": str(get_locale()),
        }


def register_errors(app):
    from courtyard.web.error_pages import init_app

    init_app(app)


def register_commands(app):
    from courtyard.cli import courtyard_cli

    app.cli.add_command(courtyard_cli)
