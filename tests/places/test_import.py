"""Household import from CSV and XLSX: all or nothing, every problem listed by row and column."""

import io

from openpyxl import Workbook

from courtyard.extensions import db
from courtyard.models import Household
from tests.support.factories import login, valid_id_number

HEADER = "户主姓名,类别,家庭人口,家庭成员,手机号,身份证号,银行卡号,备注\n"


def _upload(client, content, name="households.csv"):
    data = {"file": (io.BytesIO(content if isinstance(content, bytes) else content.encode("utf-8")), name)}
    return client.post("/team/households/import", data=data, content_type="multipart/form-data", follow_redirects=True)


def _count(app):
    with app.app_context():
        return db.session.query(Household).count()


def _team_client(client, make):
    village = make.village()
    login(client, make.team_member(village))
    return village


def test_good_csv_imports_every_row(app, client, make):
    """Does a clean CSV import all its households into the team's village?"""
    village = _team_client(client, make)
    rows = HEADER + f"王秀英,贫困户,3,,13911110001,{valid_id_number(1)},,\n李建国,已脱贫户,2,,13911110002,,,\n"
    page = _upload(client, rows).get_data(as_text=True)
    assert "2 户" in page
    with app.app_context():
        assert {h.village_id for h in db.session.query(Household)} == {village.id}
        assert db.session.query(Household).filter_by(head_name="李建国").one().tier == "lifted"


def test_one_bad_row_imports_nothing_and_lists_every_problem(app, client, make):
    """Does a file with bad rows import nothing, and list each problem with its row and column?"""
    _team_client(client, make)
    rows = (HEADER + "王秀英,贫困户,3,,13911110001,,,\n"
            + ",富户,0,,123,110101199003070000,12ab,\n"
            + "赵六,监测户,2,,13911110001,,,\n")
    response = _upload(client, rows)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _count(app) == 0
    for row, column in ((3, "户主姓名"), (3, "类别"), (3, "手机号"), (3, "身份证号"), (3, "银行卡号"), (3, "家庭人口"), (4, "手机号")):
        assert f'<td class="num">{row}</td><td>{column}</td>' in page, (row, column)
    assert "与第 2 行相同" in page


def test_unknown_and_missing_columns_are_named(app, client, make):
    """Are an unknown column and a missing required column reported on row 1?"""
    _team_client(client, make)
    page = _upload(client, "户主姓名,年收入\n王秀英,5000\n").get_data(as_text=True)
    assert '<td class="num">1</td><td>年收入</td>' in page and '<td class="num">1</td><td>类别</td>' in page
    assert _count(app) == 0


def test_xlsx_with_numbers_as_cells_imports(app, client, make):
    """Does an Excel file whose phone cells are numbers import correctly?"""
    _team_client(client, make)
    book = Workbook()
    sheet = book.active
    sheet.append(["户主姓名", "类别", "家庭人口", "手机号"])
    sheet.append(["孙玉兰", "监测户", 4, 13922220001])
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(client, buffer.getvalue(), "households.xlsx")
    with app.app_context():
        household = db.session.query(Household).one()
        assert household.phone == "13922220001" and household.member_count == 4


def test_id_number_mangled_by_excel_is_explained(app, client, make):
    """Is an ID number that Excel turned into a decimal reported with how to fix it?"""
    _team_client(client, make)
    book = Workbook()
    book.active.append(["户主姓名", "类别", "身份证号"])
    book.active.append(["孙玉兰", "监测户", 2.30225198001011e17])
    buffer = io.BytesIO()
    book.save(buffer)
    page = _upload(client, buffer.getvalue(), "households.xlsx").get_data(as_text=True)
    assert "文本" in page and _count(app) == 0


def test_gbk_csv_from_excel_imports(app, client, make):
    """Does a CSV saved by Chinese Excel (GBK) import with its names intact?"""
    _team_client(client, make)
    _upload(client, (HEADER + "周凤芝,贫困户,1,,,,,\n").encode("gb18030"))
    with app.app_context():
        assert db.session.query(Household).one().head_name == "周凤芝"


def test_wrong_file_type_and_empty_file(app, client, make):
    """Are a .txt file and an empty file refused with a message, importing nothing?"""
    _team_client(client, make)
    assert "csv" in _upload(client, "x", "notes.txt").get_data(as_text=True)
    assert "空" in _upload(client, "").get_data(as_text=True)
    assert _count(app) == 0


def test_duplicate_of_existing_household_is_refused(app, client, make):
    """Is a row whose phone already belongs to a registered household reported?"""
    village = _team_client(client, make)
    existing = make.household(village)
    page = _upload(client, HEADER + f"新户,贫困户,1,,{existing.phone},,,\n").get_data(as_text=True)
    assert '<td class="num">2</td><td>手机号</td>' in page and _count(app) == 1


def test_templates_download_with_the_right_headers(client, make):
    """Do the CSV and Excel templates carry the column names the importer reads?"""
    _team_client(client, make)
    csv_text = client.get("/team/households/template.csv").get_data().decode("utf-8-sig")
    assert csv_text.startswith("户主姓名,类别")
    response = client.get("/team/households/template.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
