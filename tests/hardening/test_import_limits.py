"""Household import: a declared sheet size is not believed, rows and columns are capped, odd files get a message."""

import io
import re
import time
import zipfile

from openpyxl import Workbook

from courtyard.extensions import db
from courtyard.models import Household
from courtyard.services.places.household_import import MAX_ROWS
from tests.support.factories import login

HEADER = ["户主姓名", "类别", "家庭人口", "家庭成员", "手机号", "身份证号", "银行卡号", "备注"]


def _xlsx(rows, dimension=None, far_cell=None):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None and far_cell is None:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if dimension:
                    data = re.sub(rb'<dimension ref="[A-Z0-9:]+" ?/>', f'<dimension ref="A1:{dimension}"/>'.encode(), data)
                if far_cell:  # one cell far away: the reader fills every row in between
                    row = re.sub(r"[A-Z]+", "", far_cell)
                    data = data.replace(b"</sheetData>", f'<row r="{row}"><c r="{far_cell}" t="inlineStr"><is><t>x</t>'
                                        f'</is></c></row></sheetData>'.encode())
            target.writestr(item, data)
    return out.getvalue()


def _upload(client, content, name):
    data = {"file": (io.BytesIO(content), name)}
    return client.post("/team/households/import", data=data, content_type="multipart/form-data")


def _team(client, make):
    login(client, make.team_member(make.village()))


def _count(app):
    with app.app_context():
        return db.session.query(Household).count()


def test_a_declared_giant_sheet_is_read_as_the_rows_it_has(app, client, make):
    """Does a small XLSX declaring 100,000 × 100 cells import its two households at once, not walk the gaps?"""
    _team(client, make)
    content = _xlsx([HEADER, ["王秀英", "贫困户", "3"], ["李建国", "已脱贫户", "2"]], dimension="CV100000")
    started = time.perf_counter()
    response = _upload(client, content, "big.xlsx")
    assert time.perf_counter() - started < 2
    assert response.status_code == 302 and _count(app) == 2


def test_one_far_cell_does_not_make_the_import_walk_every_gap(app, client, make):
    """Does an XLSX with one cell at GR30000 (30,000 rows × 200 columns to fill in) get a quick message?"""
    _team(client, make)
    content = _xlsx([HEADER, ["王秀英", "贫困户", "3"]], dimension="GR30000", far_cell="GR30000")
    assert len(content) < 10_000
    started = time.perf_counter()
    response = _upload(client, content, "far.xlsx")
    assert time.perf_counter() - started < 1.5
    assert response.status_code == 422 and _count(app) == 0


def test_rows_beyond_the_limit_are_not_all_read(app, client, make, monkeypatch):
    """Is a file with more households than the limit refused, after reading one more than the limit?"""
    from courtyard.services.places import household_import

    monkeypatch.setattr(household_import, "MAX_ROWS", 3)
    _team(client, make)
    read = []
    rows = [HEADER] + [[f"户{n}", "贫困户", "1"] for n in range(50)]
    real = household_import._cell_text
    monkeypatch.setattr(household_import, "_cell_text", lambda value: read.append(value) or real(value))
    response = _upload(client, _xlsx(rows), "many.xlsx")
    assert response.status_code == 422 and "3" in response.get_data(as_text=True) and _count(app) == 0
    assert len(read) <= (3 + 2) * household_import.MAX_COLUMNS


def test_columns_are_capped(app, client, make):
    """Does a header of 5,000 columns cost no more than the first columns, and import the known ones?"""
    _team(client, make)
    wide = HEADER + [""] * 5000 + ["x"]
    response = _upload(client, _xlsx([wide, ["王秀英", "贫困户", "3"]]), "wide.xlsx")
    assert response.status_code == 302 and _count(app) == 1


def test_a_csv_field_over_the_csv_limit_gets_a_message(app, client, make):
    """Is a CSV with a 200 KB field (over the csv module's limit) refused at the field, not a 500?"""
    _team(client, make)
    content = (",".join(HEADER) + "\n王秀英,贫困户,3,\"" + "x" * 200_000 + "\"\n").encode()
    response = _upload(client, content, "long.csv")
    assert response.status_code == 422 and _count(app) == 0


def test_a_formula_name_is_refused_at_import(app, client, make):
    """Is a household named like a spreadsheet formula refused, importing nothing?"""
    _team(client, make)
    content = (",".join(HEADER) + "\n=cmd|' /C calc'!A0,贫困户,3\n").encode()
    response = _upload(client, content, "formula.csv")
    assert response.status_code == 422 and _count(app) == 0


def test_the_row_limit_is_still_the_documented_one():
    """Is the per-file limit unchanged (5,000 households)?"""
    assert MAX_ROWS == 5000
