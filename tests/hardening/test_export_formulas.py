"""No CSV or XLSX the app writes runs a formula: every export route, walked with hostile names."""

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import update

from courtyard.exports.cells import FORMULA_STARTS, text_cell
from courtyard.extensions import db
from courtyard.models import Campaign, Household, Package, PartnerUnit, ProduceItem, Village
from tests.support.route_world import build_world

FORMULA = '=HYPERLINK("http://e.x/","点击")'  # fits head_name's 40 characters
HOSTILE = {Household: ("head_name", FORMULA), PartnerUnit: ("name", "@SUM(1+1)*cmd|' /C calc'!A0"),
           Campaign: ("title", "+cmd|' /C calc'!A0"), Package: ("name", "-2+3+cmd|' /C calc'!A0"),
           ProduceItem: ("name", "\t=1+1"), Village: ("name", "\r=1+1")}
VISITOR_OF = {"county": "county", "team": "team", "partner": "partner", "household": "household"}


def _poison(app):
    with app.app_context():
        for model, (column, value) in HOSTILE.items():
            rows = db.session.scalars(db.select(model)).all()
            for number, row in enumerate(rows):  # names are unique in some tables
                setattr(row, column, value if number == 0 else f"{value}{number}")
        db.session.commit()


def _urls(app, params):
    """Every URL of every CSV/XLSX route, each format and table spelled out."""
    for rule in app.url_map.iter_rules():
        if "csv" not in rule.rule and "xlsx" not in rule.rule:
            continue
        formats = ("csv", "xlsx") if "<any(" in rule.rule else (None,)
        tables = ("campaigns", "villages", "tiers", "households") if "<table>" in rule.rule else (None,)
        for fmt in formats:
            for table in tables:
                values = {**params, "fmt": fmt, "ext": fmt, "table": table}
                url = re.sub(r"<(?:[^>]+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
                yield rule.endpoint, url


def _cells(url, body):
    if url.endswith(".csv"):
        return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    book = load_workbook(io.BytesIO(body))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{url}: a formula in {cell.coordinate}"
                cells.append(cell.value)
    return cells


def test_every_export_route_writes_hostile_names_as_inert_text(app, make):
    """Walking every CSV/XLSX route as its role: does no cell start with = + - @, tab or CR, and are
    the hostile names there, neutralised, in the village statements and the bank files?"""
    world = build_world(app, make)
    _poison(app)
    served, seen = set(), []
    for endpoint, url in _urls(app, world.params):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(world.visitors[VISITOR_OF[endpoint.split(".")[0]]].id)
        response = client.get(url)
        if response.status_code == 404 and "/dashboard/" in url:
            continue  # a table another role has
        assert response.status_code == 200, (url, response.status_code)
        served.add(endpoint)
        for cell in _cells(url, response.data):
            if isinstance(cell, str):
                assert not cell.startswith(FORMULA_STARTS), f"{url}: {cell!r}"
                seen.append(cell)
    assert served == {r.endpoint for r in app.url_map.iter_rules() if "csv" in r.rule or "xlsx" in r.rule}
    assert "'" + FORMULA in seen  # the household's name, in the statements and the bank file
    assert "'+cmd|' /C calc'!A0" in seen  # a campaign title, in the pledge lines and dashboards


def test_plain_numbers_and_ordinary_text_are_left_alone():
    """Is a negative yuan figure still a number and ordinary text unchanged, while formulas are not?"""
    assert text_cell("-12.50") == "-12.50" and text_cell("张三") == "张三" and text_cell(5) == 5
    assert text_cell("=1+1") == "'=1+1" and text_cell("-1+1") == "'-1+1" and text_cell("\r=1") == "'\r=1"
