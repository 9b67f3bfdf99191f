"""Language, error pages and security headers that every page shares."""

from tests.support.factories import login


def test_chinese_by_default_english_on_switch(client):
    """Is the interface Simplified Chinese by default, and English after the switch?"""
    page = client.get("/login", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "工作人员登录" in page and 'lang="zh-Hans"' in page
    client.get("/lang/en")
    page = client.get("/login").get_data(as_text=True)
    assert "Staff login" in page and 'lang="en"' in page


def test_language_switch_returns_only_to_this_site(client):
    """Does the language switch go back to a local page but never to another site?"""
    assert client.get("/lang/en?next=/login").headers["Location"] == "/login"
    assert client.get("/lang/en?next=https://evil.example").headers["Location"] == "/"
    assert client.get("/lang/fr").status_code == 404


def test_unknown_page_is_a_friendly_404(client):
    """Does an unknown address give a page in Chinese with a way back?"""
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


def test_security_headers_and_cookie_flags(client, make):
    """Does every response carry a CSP without unsafe-inline, and the session cookie HttpOnly and SameSite?"""
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "default-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    response = login(client, make.admin())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_home_pages_have_no_inline_scripts_or_styles(client, login_as):
    """Do pages avoid inline script and style, so the strict CSP does not break them?"""
    login_as("county")
    for path in ("/", "/county/", "/county/items/new", "/county/packages/new"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and "<style" not in page, path


def test_health_check(client):
    """Does /healthz answer ok when the database answers?"""
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_csp_lets_in_stripe_js_from_its_configured_origin_only(app, client):
    """Does the CSP allow scripts from 'self' and the configured Stripe.js origin, and from nowhere else?"""
    app.config["STRIPE_JS_URL"] = "https://js.stripe.com/v3/"
    try:
        csp = client.get("/").headers["Content-Security-Policy"]
    finally:
        app.config["STRIPE_JS_URL"] = "http://127.0.0.1:8420/js.stripe.com/v3/"
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self' https://js.stripe.com"
    assert directives["frame-src"] == "https://js.stripe.com https://hooks.stripe.com"
    assert "127.0.0.1:8420" not in csp
