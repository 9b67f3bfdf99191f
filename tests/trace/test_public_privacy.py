"""No public page ever shows a household's full name, phone number or ID number.

The crawl starts from / as an anonymous visitor and follows every same-site link that opens without a login,
plus the trace page of every demo box, every published notice (page and PDF) and every visit page.
"""

import re
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from pypdf import PdfReader
from sqlalchemy import select

from courtyard.demo.visits import build_demo_visits
from courtyard.extensions import db
from courtyard.models import AllocationRun, Household, Visit
from courtyard.models.types import utcnow
from courtyard.text.masking import mask_name
from tests.trace.demo import load_demo

LINK = re.compile(r'(?:href|src)="([^"#]+)')
SKIP = ("/lang/", "/photos/", "/static/", "/login", "/logout")


def _text(response):
    if response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def _crawl(client, seeds):
    """``{path: text}`` of every public page reachable from ``seeds`` (anonymous, same site)."""
    seen, queue, pages = set(), list(seeds), {}
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype not in ("text/html", "application/pdf", "application/json"):
            continue
        pages[path] = _text(response)
        if response.mimetype == "text/html":
            for link in LINK.findall(pages[path]):
                target = urlsplit(urljoin("http://localhost" + path, link.replace("&amp;", "&")))
                if target.netloc == "localhost":
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def test_no_public_page_shows_a_households_name_phone_or_id_number(app, client):
    """Crawling every public page of the demo (home and its links, trace pages, notices, visits): does any
    show a demo household's full name, phone number or ID number?"""
    codes = load_demo(app)
    with app.app_context():
        build_demo_visits(utcnow())
        secrets_ = [(h.head_name, h.phone, h.id_number) for h in db.session.scalars(select(Household))]
        runs = db.session.scalars(select(AllocationRun.id).where(AllocationRun.state == "published")).all()
        visits = db.session.scalars(select(Visit.id)).all()
        db.session.remove()
    assert codes and runs and visits
    seeds = ["/"] + [f"/t/{c}" for c in codes] + [f"/notice/{r}" for r in runs] + [f"/notice/{r}.pdf" for r in runs] \
        + [f"/visits/{v}" for v in visits]
    pages = _crawl(client, seeds)
    assert len(pages) > len(seeds) and "/villages" in pages and any(p.startswith("/campaigns/") for p in pages)
    leaks = [(path, secret) for path, text in pages.items() for name, phone, id_number in secrets_
             for secret in (name, phone, id_number) if secret and secret in text]
    assert leaks == []
    shown = "".join(text for path, text in pages.items() if path.startswith("/t/"))
    assert sum(mask_name(name) in shown for name, _phone, _id in secrets_) >= 2  # the crawl does read who grew it
