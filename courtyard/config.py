"""Configuration classes, read from ``COURTYARD_*`` environment variables."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("COURTYARD_INSTANCE_PATH", ROOT / "instance"))


def _env(name, default=None):
    return os.environ.get(f"COURTYARD_{name}", default)


LIVE_STRIPE_JS_URL = "https://js.stripe.com/v3/"  # Stripe requires loading it from there
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    """Defaults for development: SQLite under ``instance/``, local mail sink."""

    SECRET_KEY = _env("SECRET_KEY", DEV_SECRET_KEY)
    DATA_KEY = _env("DATA_KEY")  # encrypts ID and bank numbers; derived from SECRET_KEY if unset
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'courtyard.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    UPLOAD_DIR = _env("UPLOAD_DIR", str(INSTANCE / "uploads"))
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "zh_Hans"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "courtyard" / "translations")
    LANGUAGES = ("zh_Hans", "en")
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "20 per minute")
    API_RATE_LIMIT = _env("API_RATE_LIMIT", "300 per minute")  # per API token
    TRACE_RATE_LIMIT = _env("TRACE_RATE_LIMIT", "60 per minute")  # /t/<code> scans per address
    PIN_MAX_FAILURES = 5  # wrong PINs in a row before PIN logins pause (15 min, then 1 h, 4 h, 24 h)
    PIN_DAILY_LIMIT = int(_env("PIN_DAILY_LIMIT", "10"))  # failed PIN logins per phone per 24 h, then refused
    PIN_ALARM_PHONES = int(_env("PIN_ALARM_PHONES", "20"))  # phones with a failed PIN in an hour: alarm on /county/jobs
    HOUSEHOLD_REMEMBER_DAYS = int(_env("HOUSEHOLD_REMEMBER_DAYS", "30"))  # a household's phone stays logged in
    API_FAILED_AUTH_LIMIT = _env("API_FAILED_AUTH_LIMIT", "30 per minute")  # requests with a bad token, per address
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    COUNTY_NAME = _env("COUNTY_NAME", "示范县")
    # Payments: real Stripe in production; the local mock (localstripe) in development and tests
    STRIPE_SECRET_KEY = _env("STRIPE_SECRET_KEY", "sk_test_courtyard_local")
    STRIPE_API_BASE = _env("STRIPE_API_BASE", "http://127.0.0.1:8420")
    STRIPE_LOCALSTRIPE = _env("STRIPE_LOCALSTRIPE", "1") == "1"
    STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET", "whsec_courtyard_local")
    # the browser side: Stripe.js (localstripe's stand-in in development) and the account's publishable key
    STRIPE_PUBLISHABLE_KEY = _env("STRIPE_PUBLISHABLE_KEY", "pk_test_courtyard_local")
    STRIPE_JS_URL = _env("STRIPE_JS_URL", "http://127.0.0.1:8420/js.stripe.com/v3/")
    STRIPE_ALLOW_TEST = _env("STRIPE_ALLOW_TEST", "0") == "1"  # production may run on a test account (a rehearsal)
    STRIPE_MAX_NETWORK_RETRIES = 2
    # In a web request: no retries, short timeouts and this many seconds in all for the payment server (the
    # jobs keep the long timeouts and retries); see docs/deploy.md for how they sit under gunicorn's --timeout
    STRIPE_REQUEST_BUDGET_SECONDS = float(_env("STRIPE_REQUEST_BUDGET_SECONDS", "4"))
    STRIPE_REQUEST_CONNECT_TIMEOUT = float(_env("STRIPE_REQUEST_CONNECT_TIMEOUT", "1"))
    STRIPE_REQUEST_READ_TIMEOUT = float(_env("STRIPE_REQUEST_READ_TIMEOUT", "3"))
    # at most this many web requests of a host wait on the payment server at once (0: no limit); the others wait
    # for a slot, but answer at once when those have been waiting longer than the overdue time (the server hangs)
    STRIPE_REQUEST_SLOTS = int(_env("STRIPE_REQUEST_SLOTS", "2"))
    STRIPE_REQUEST_SLOT_OVERDUE_SECONDS = float(_env("STRIPE_REQUEST_SLOT_OVERDUE_SECONDS", "2"))
    # after this many failures in a row card actions answer at once for the cool-down, then one try is let through;
    # the state is kept in the database, or in Redis when this (or RATELIMIT_STORAGE_URI) is a redis:// URL
    STRIPE_BREAKER_FAILURES = int(_env("STRIPE_BREAKER_FAILURES", "3"))
    STRIPE_BREAKER_COOLDOWN_SECONDS = float(_env("STRIPE_BREAKER_COOLDOWN_SECONDS", "20"))
    STRIPE_BREAKER_STORAGE_URI = _env("STRIPE_BREAKER_STORAGE_URI", "")
    # Mail: written to the outbox table, sent by SMTP (a local sink in development and tests)
    SMTP_HOST = _env("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(_env("SMTP_PORT", "8025"))
    SMTP_USERNAME = _env("SMTP_USERNAME")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    SMTP_STARTTLS = _env("SMTP_STARTTLS", "0") == "1"
    MAIL_FROM = _env("MAIL_FROM", "庭院 Courtyard <noreply@courtyard.local>")
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Text messages (短信): Alibaba Cloud SMS through its SDK; the local sink in development and tests
    SMS_ACCESS_KEY_ID = _env("SMS_ACCESS_KEY_ID", "courtyard-dev")
    SMS_ACCESS_KEY_SECRET = _env("SMS_ACCESS_KEY_SECRET", "courtyard-dev-secret")
    SMS_SIGN_NAME = _env("SMS_SIGN_NAME", "庭院")
    SMS_ENDPOINT = _env("SMS_ENDPOINT", "127.0.0.1:8430")  # the provider: dysmsapi.aliyuncs.com
    SMS_PROTOCOL = _env("SMS_PROTOCOL", "http")  # the provider: https
    SMS_TIMEOUT = float(_env("SMS_TIMEOUT", "10"))  # seconds, to connect and to read the answer
    SMS_LIMITS = _env("SMS_LIMITS", "1/minute,5/hour,10/day")  # per number, as the provider's defaults
    SMTP_TIMEOUT = int(_env("SMTP_TIMEOUT", "10"))
    PROXY_HOPS = int(_env("PROXY_HOPS", "0"))  # reverse proxies in front (nginx: 1); trusts their X-Forwarded-*
    INVOICE_OVERDUE_DAYS = int(_env("INVOICE_OVERDUE_DAYS", "7"))  # invoice requests waiting longer are listed apart
    BANK_ACCOUNT_TEXT = _env("BANK_ACCOUNT_TEXT", "")  # account name, bank and number for 对公转账, shown in notices
    # pages read far more often than they change, kept this many seconds per worker (0: not kept)
    PUBLIC_PAGE_CACHE_SECONDS = int(_env("PUBLIC_PAGE_CACHE_SECONDS", "30"))  # campaign pages, anonymous visitors
    DASHBOARD_CACHE_SECONDS = int(_env("DASHBOARD_CACHE_SECONDS", "60"))  # the county's and teams' figures
    TESTING = False
    PRODUCTION = False
    HSTS_SECONDS = int(_env("HSTS_SECONDS", "31536000"))  # Strict-Transport-Security in production


def _sms_template_codes():
    """``SMS_TEMPLATE_<KIND>``: the provider's code for each template in the repo (dev codes by default)."""
    from courtyard.messages.sms_templates import TEMPLATES

    return {t.config_key: _env(t.config_key, t.dev_code) for t in TEMPLATES.values()}


for _key, _code in _sms_template_codes().items():
    setattr(Config, _key, _code)


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    """Used by the suite: the database URL comes from the test fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    LOGIN_RATE_LIMIT = "10000 per minute"  # the rate-limit test lowers it
    API_RATE_LIMIT = "100000 per minute"  # the API rate-limit test lowers it
    API_FAILED_AUTH_LIMIT = "100000 per minute"  # so does the failed-authentication test
    TRACE_RATE_LIMIT = "10000 per minute"
    SERVER_NAME = None
    PUBLIC_PAGE_CACHE_SECONDS = 0  # every test sees the figures of the moment
    DASHBOARD_CACHE_SECONDS = 0


class ProductionConfig(Config):
    """Refuses to start with a development secret: see :func:`production_problems`."""

    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # no development defaults: real Stripe unless told otherwise, and the account's own secrets
    STRIPE_SECRET_KEY = _env("STRIPE_SECRET_KEY")
    STRIPE_API_BASE = _env("STRIPE_API_BASE")
    STRIPE_LOCALSTRIPE = _env("STRIPE_LOCALSTRIPE", "0") == "1"
    STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET")
    STRIPE_PUBLISHABLE_KEY = _env("STRIPE_PUBLISHABLE_KEY")
    STRIPE_JS_URL = _env("STRIPE_JS_URL", LIVE_STRIPE_JS_URL)


def production_problems(config):
    """What in ``config`` (a mapping) is only fit for development; empty when it may serve the public."""
    problems = []
    secret = config.get("SECRET_KEY") or ""
    if len(secret) < 32 or secret == DEV_SECRET_KEY:
        problems.append("COURTYARD_SECRET_KEY must be set to at least 32 random characters in production")
    if config.get("STRIPE_WEBHOOK_SECRET") in (None, "", "whsec_courtyard_local"):
        problems.append("COURTYARD_STRIPE_WEBHOOK_SECRET must be the account's own signing secret, not the dev one")
    problems += _stripe_problems(config)
    if config.get("SMS_ACCESS_KEY_SECRET") in (None, "", "courtyard-dev-secret"):
        problems.append("COURTYARD_SMS_ACCESS_KEY_SECRET must be the account's own AccessKey secret, not the sink's")
    if str(config.get("SMS_ENDPOINT") or "").split(":")[0] in ("127.0.0.1", "localhost", ""):
        problems.append("COURTYARD_SMS_ENDPOINT points at the local SMS sink; set the provider's (dysmsapi.aliyuncs.com)")
    return problems


def _stripe_problems(config):
    """Test keys (unless ``STRIPE_ALLOW_TEST``), the mock's keys and addresses: not for the public."""
    problems = []
    secret, publishable = config.get("STRIPE_SECRET_KEY") or "", config.get("STRIPE_PUBLISHABLE_KEY") or ""
    if secret in ("", "sk_test_courtyard_local"):
        problems.append("COURTYARD_STRIPE_SECRET_KEY must be the account's own key, not the localstripe one")
    if publishable in ("", "pk_test_courtyard_local"):
        problems.append("COURTYARD_STRIPE_PUBLISHABLE_KEY must be the account's own publishable key")
    if not config.get("STRIPE_ALLOW_TEST") and (secret.startswith(("sk_test_", "rk_test_")) or publishable.startswith("pk_test_")):
        problems.append("COURTYARD_STRIPE_SECRET_KEY / _PUBLISHABLE_KEY are test keys; use live keys, or set "
                        "COURTYARD_STRIPE_ALLOW_TEST=1 for a rehearsal on a test account")
    if config.get("STRIPE_LOCALSTRIPE"):
        problems.append("COURTYARD_STRIPE_LOCALSTRIPE=0 is required in production (real Stripe)")
    base = str(config.get("STRIPE_API_BASE") or "").rstrip("/")
    if base and base != "https://api.stripe.com":  # localstripe's (or any other stand-in's) address
        problems.append("COURTYARD_STRIPE_API_BASE points at localstripe; leave it unset for real Stripe")
    if config.get("STRIPE_JS_URL") != LIVE_STRIPE_JS_URL:
        problems.append(f"COURTYARD_STRIPE_JS_URL must be {LIVE_STRIPE_JS_URL} in production (Stripe requires it)")
    return problems


def refuse_unsafe_production(config):
    """Raise at start-up when a production app carries development secrets or the Stripe mock."""
    if config.get("PRODUCTION"):
        problems = production_problems(config)
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems))


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}


def config_from_env():
    name = _env("ENV", "development")
    return CONFIGS[name]
