"""The dashboards' tables as spreadsheets: CSV streamed row by row, XLSX in openpyxl's write-only mode.

``county_tables(dashboard)`` and ``partner_tables(dashboard)`` turn dashboard data into named tables
(a header and rows); ``csv_stream`` and ``xlsx_bytes`` render any of them. Like the statements, the
spreadsheets are Chinese documents, so their headings are written here in Chinese. Money is in yuan
as numbers, so a spreadsheet can add it up.
"""

import io
from dataclasses import dataclass

from openpyxl import Workbook

from courtyard.exports.cells import append_row, csv_writer
from courtyard.exports.statement import yuan

CAMPAIGN_STATE_NAMES = {"open": "众筹中", "funded": "已达成", "failed": "未达成", "fulfilling": "配送中", "done": "已完成"}
GOAL_NAMES = {"packages": "份", "fen": "元"}
SPREAD_HEADER = ("受益户数", "增收合计（元）", "户均增收（元）", "最低（元）", "中位数（元）", "最高（元）", "基尼系数")


@dataclass(frozen=True)
class Table:
    name: str  # in the file name and URL
    title: str  # the sheet's name
    header: tuple
    rows: tuple


def _money(amount_fen):
    return float(yuan(amount_fen))


def _spread_row(s):
    return (s.reached, _money(s.earned_fen), _money(s.average_fen), _money(s.lowest_fen), _money(s.median_fen),
            _money(s.highest_fen), s.gini)


def campaigns_table(campaigns):
    return Table("campaigns", "众筹进度", ("众筹项目", "状态", "目标", "目标单位", "已认购份数", "已认购金额（元）", "完成率（%）"),
                 tuple((c.title, CAMPAIGN_STATE_NAMES.get(c.state, c.state),
                        _money(c.goal_value) if c.goal_kind == "fen" else c.goal_value, GOAL_NAMES.get(c.goal_kind, ""),
                        c.packages, _money(c.pledged_fen), c.percent) for c in campaigns))


def county_tables(dashboard):
    """The county's (or a work team's) tables, by name."""
    tables = (
        campaigns_table(dashboard.campaigns),
        Table("villages", "分村增收", ("村", *SPREAD_HEADER), tuple((s.label, *_spread_row(s)) for s in dashboard.by_village)),
        Table("tiers", "分类增收", ("农户类别", *SPREAD_HEADER), tuple((s.label, *_spread_row(s)) for s in dashboard.by_tier)),
    )
    return {t.name: t for t in tables}


def partner_tables(dashboard):
    """A partner unit's tables, by name: what it bought and the households it helped (names masked)."""
    tables = (
        Table("campaigns", "认购", ("众筹项目", "礼包", "份数", "金额（元）"),
              tuple((p.campaign, p.package, p.packages, _money(p.paid_fen)) for p in dashboard.purchases)),
        Table("households", "帮扶农户", ("户主", "村", "数量", "增收（元）"),
              tuple((h.name, h.village, h.units, _money(h.earned_fen)) for h in dashboard.households)),
    )
    return {t.name: t for t in tables}


def csv_stream(table):
    """The table as CSV, one chunk per row (a BOM first, for Excel), for a streamed response."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)

    def chunk(row):
        writer.writerow(row)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + chunk(table.header)
    for row in table.rows:
        yield chunk(row)


def xlsx_bytes(table):
    """The table as an XLSX workbook of one sheet, written in write-only mode (rows are not kept)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title)
    append_row(sheet, table.header)
    for row in table.rows:
        append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
