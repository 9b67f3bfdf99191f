"""The county's pledge lines export: every line with its campaign, unit, package, money, state, payment time
and the unit's villages, as a CSV and an XLSX that are streamed, for the county only."""

import csv
import io

import time_machine
from openpyxl import load_workbook

from courtyard.exports.pledge_lines import HEADER
from courtyard.exports.xlsx_stream import xlsx_chunks
from courtyard.extensions import db
from courtyard.models import CampaignPackage, Pledge, PledgeLine, unit_village
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign
from tests.support.factories import login


def small_world(app, make):
    """Campaign A: a paid pledge of 2 × ¥168 + 1 × ¥99.50 from a unit paired with two villages; campaign B: an
    unpaid pledge of 4 × ¥168 from the same unit."""
    east, west = make.village("东村", township="青山镇"), make.village("西村", township="白水镇")
    first, second = make_campaign(app, packages=2), make_campaign(app)
    unit = make_buyer(app, name="县第一中学")
    with app.app_context():
        db.session.execute(unit_village.insert(), [{"unit_id": unit.id, "village_id": v.id} for v in (east, west)])
        cheaper = db.session.get(CampaignPackage, first.offer_ids[1])
        cheaper.price_fen = 9950
        db.session.commit()
        paid = pledges.create_pledge(None, unit.id, first.id, [LineInput(first.offer_ids[0], unit.address_ids[0], 2),
                                                                LineInput(first.offer_ids[1], unit.address_ids[0], 1)],
                                     "transfer", NOW)
        pledges.record_transfer(None, paid, paid.total_fen, "B1", NOW, NOW)
        waiting = pledges.create_pledge(None, unit.id, second.id, [LineInput(second.offer_ids[0], unit.address_ids[0], 4)],
                                        "transfer", NOW)
        references = {p.campaign_id: p.reference for p in db.session.query(Pledge)}
        packages = [db.session.get(PledgeLine, line.id).offer.package.name for line in paid.lines + waiting.lines]
    return first.id, second.id, references, packages


def download(app, user, url):
    client = app.test_client()
    with time_machine.travel(NOW, tick=False):  # log in inside the clock: a session signed later is refused
        login(client, user)
        response = client.get(url)
        streamed = response.is_streamed
        return response, streamed, response.get_data()


def test_the_csv_has_every_line_with_its_money_state_time_and_villages(app, make):
    """Three lines in campaign order: yuan figures, 已付款 at 10:00 Beijing time for the paid one, nothing paid for the
    pledge waiting for its transfer, and the unit's two villages on each line."""
    first, second, references, packages = small_world(app, make)
    response, streamed, body = download(app, make.admin(), "/county/exports/pledge-lines.csv")
    assert response.status_code == 200 and streamed and response.mimetype == "text/csv"
    assert "pledge-lines.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    villages = "白水镇 西村、青山镇 东村"
    assert rows == [
        list(HEADER),
        ["2026 囤年货", "县第一中学", references[first], packages[0], "2", "168.00", "336.00", "已付款", "2026-12-01 10:00", villages],
        ["2026 囤年货", "县第一中学", references[first], packages[1], "1", "99.50", "99.50", "已付款", "2026-12-01 10:00", villages],
        ["2026 囤年货", "县第一中学", references[second], packages[2], "4", "168.00", "672.00", "待转账", "", villages],
    ]


def test_the_xlsx_of_one_campaign_reads_back_with_numbers(app, make):
    """Filtered by campaign A: its two lines only, quantities and yuan as numbers a spreadsheet can add up; an
    unknown campaign is not found."""
    first, _second, references, packages = small_world(app, make)
    admin = make.admin()
    response, streamed, body = download(app, admin, f"/county/exports/pledge-lines.xlsx?campaign={first}")
    assert response.status_code == 200 and streamed
    assert f"pledge-lines-campaign-{first}.xlsx" in response.headers["Content-Disposition"]
    rows = [list(row) for row in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True)]
    assert rows[0] == list(HEADER)
    assert [row[2:8] for row in rows[1:]] == [[references[first], packages[0], 2, 168, 336, "已付款"],
                                              [references[first], packages[1], 1, 99.5, 99.5, "已付款"]]
    assert download(app, admin, "/county/exports/pledge-lines.xlsx?campaign=999999")[0].status_code == 404


def test_only_the_county_gets_the_export(app, make):
    """A work team and a partner unit are refused the county's file."""
    village = make.village()
    for user in (make.team_member(village), make.partner_user(make.unit())):
        assert download(app, user, "/county/exports/pledge-lines.csv")[0].status_code == 403


def test_the_streamed_xlsx_comes_in_pieces_and_keeps_awkward_text():
    """5,000 rows in chunks of 500 come as many pieces that together read back as the same cells, with markup
    characters, leading spaces and empty cells intact and control characters dropped."""
    rows = [(n, f"<a&b> {n}", None, " lead", "x\x01y", 1.25) for n in range(5_000)]
    pieces = list(xlsx_chunks("表", ("n", "text", "empty", "space", "control", "money"), iter(rows), chunk_rows=500))
    assert len(pieces) > 5
    book = load_workbook(io.BytesIO(b"".join(pieces)), read_only=True)
    assert book.sheetnames == ["表"]
    read = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert read[0] == ["n", "text", "empty", "space", "control", "money"]
    assert read[1] == [0, "<a&b> 0", None, " lead", "xy", 1.25]
    assert len(read) == 5_001 and read[-1][:2] == [4_999, "<a&b> 4999"]


def test_the_campaign_pages_link_to_the_export(app, make):
    """The county's campaign list links to every line's XLSX and CSV; a campaign's page to its own lines."""
    first, _second, _references, _packages = small_world(app, make)
    client = app.test_client()
    login(client, make.admin())
    listing = client.get("/county/campaigns").get_data(as_text=True)
    assert 'class="pledge-lines-export" href="/county/exports/pledge-lines.xlsx"' in listing
    assert 'href="/county/exports/pledge-lines.csv"' in listing
    detail = client.get(f"/county/campaigns/{first}").get_data(as_text=True)
    assert f'href="/county/exports/pledge-lines.xlsx?campaign={first}"' in detail
