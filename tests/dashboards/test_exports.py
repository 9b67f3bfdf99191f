"""Every dashboard table downloads as CSV (streamed) and XLSX that read back with the page's figures, and the
county's monthly report is a PDF with the month's figures."""

import csv
import io
from types import SimpleNamespace

import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.support.dashboards import small_county
from tests.support.factories import login
from tests.support.money import NOW


def download(app, user, url):
    client = app.test_client()
    with time_machine.travel(NOW, tick=False):  # log in inside the clock: a session signed later is refused
        login(client, user)
        response = client.get(url)
        response.was_streamed = response.is_streamed  # reading the body below buffers it
        body = response.get_data()
    return response, body


def read_csv(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(body):
    return [list(row) for row in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True)]


def test_the_county_tables_read_back_from_csv_and_xlsx(app, make):
    """The tiers table as CSV (streamed, with a BOM for Excel) and XLSX (numbers a spreadsheet can add up)."""
    small_county(app, make)
    admin = make.admin()
    response, body = download(app, admin, "/county/dashboard/tiers.csv?period=month&start=2026-12-01")
    assert response.was_streamed and response.mimetype == "text/csv"
    assert "county-tiers-20261201-20261231.csv" in response.headers["Content-Disposition"]
    rows = read_csv(body)
    assert rows[0][:3] == ["农户类别", "受益户数", "增收合计（元）"]
    assert rows[1] == ["贫困户", "2", "90.0", "45.0", "30.0", "45.0", "60.0", "0.1667"]
    _, body = download(app, admin, "/county/dashboard/villages.xlsx?period=month&start=2026-12-01")
    assert read_xlsx(body)[1:] == [["白水镇 西村", 1, 45, 45, 45, 45, 45, 0],
                                   ["青山镇 东村", 3, 105, 35, 15, 30, 60, 0.2857]]
    _, body = download(app, admin, "/county/dashboard/campaigns.xlsx")
    assert read_xlsx(body)[1][4:] == [3, 504, 30]
    assert download(app, admin, "/county/dashboard/nothing.csv")[0].status_code == 404


def test_a_team_exports_only_its_village(app, make):
    """The west team's tiers file has its one monitored household; the villages table is the county's alone."""
    c = small_county(app, make)
    team = make.team_member(c.west)
    _, body = download(app, team, f"/team/dashboard/tiers.xlsx?village={c.east.id}")
    assert read_xlsx(body)[1:] == [["监测户", 1, 45, 45, 45, 45, 45, 0]]
    assert download(app, team, "/team/dashboard/villages.csv")[0].status_code == 404


def test_a_unit_exports_the_households_it_helped_masked(app, make, packed):
    """The households file has masked names and what each earned from the unit, adding up to ¥90."""
    buyer = make.partner_user(SimpleNamespace(id=packed.unit_id))
    _, body = download(app, buyer, "/partner/dashboard/households.csv")
    rows = read_csv(body)
    assert rows[0] == ["户主", "村", "数量", "增收（元）"]
    assert all(row[0] == "王**英" for row in rows[1:]) and sum(float(row[3]) for row in rows[1:]) == 90
    _, body = download(app, buyer, "/partner/dashboard/campaigns.xlsx")
    assert read_xlsx(body)[1][2:] == [3, 504]


def test_the_monthly_report_has_the_months_figures(app, make):
    """December 2026's report names the month and shows ¥504.00 received, 4 households, ¥37.50 each, Gini 0.25,
    and each village; a month that does not exist is not found."""
    small_county(app, make)
    admin = make.admin()
    response, body = download(app, admin, "/county/reports/2026-12.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    for figure in ("2026年12月", "¥504.00", "4 户", "¥37.50", "0.25", "青山镇 东村", "白水镇 西村", "贫困户"):
        assert figure in text, figure
    assert download(app, admin, "/county/reports/2026-13.pdf")[0].status_code == 404
