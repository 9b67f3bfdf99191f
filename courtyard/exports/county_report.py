"""The county's monthly report (月度报告) as an A4 PDF, drawn from the county dashboard's data for a month.

``monthly_report_data(month_start, now)`` gathers it; ``render_monthly_report_pdf(data, county)`` draws
it. Like the statements, the report is a Chinese document, so its wording is written here in Chinese.
"""

from dataclasses import dataclass
from datetime import date, datetime

from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos

from courtyard.exports.a4 import start_a4
from courtyard.exports.dashboard_tables import CAMPAIGN_STATE_NAMES, GOAL_NAMES
from courtyard.exports.statement import TIER_NAMES
from courtyard.localtime import LOCAL_ZONE, period_of
from courtyard.services.dashboards.dashboard_county import CountyDashboard, DashboardFilters, county_dashboard
from courtyard.text.formatting import fen

FOOTER = "本报告由庭院平台生成，数据截至打印时间。"


@dataclass(frozen=True)
class MonthlyReport:
    month: date  # its first day
    issued_at: datetime  # Asia/Shanghai
    dashboard: CountyDashboard


def monthly_report_data(month_start, now):
    """The county dashboard for the calendar month starting ``month_start``."""
    filters = DashboardFilters(period=period_of("month", month_start))
    return MonthlyReport(month_start, now.astimezone(LOCAL_ZONE), county_dashboard(filters, now, tier_labels=TIER_NAMES))


class _ReportPDF(FPDF):
    def footer(self):
        self.set_y(-16)
        self.set_font(self.font_family, size=9)
        self.set_text_color(110)
        self.cell(0, 5, f"{FOOTER}　第 {self.page_no()} 页", align="C")


HEADINGS = FontFace(emphasis="NONE", fill_color=(235, 240, 235))


def render_monthly_report_pdf(report, county):
    """The report as PDF bytes."""
    d = report.dashboard
    pdf = _ReportPDF(format="A4", unit="mm")
    family = start_a4(pdf, f"{report.month:%Y年%m月}庭院经济月度报告", report.issued_at)
    pdf.set_font(family, size=20)
    pdf.cell(0, 12, f"{county}庭院经济月度报告", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(size=12)
    pdf.set_text_color(90)
    pdf.cell(0, 7, f"{report.month:%Y年%m月} · 打印时间 {report.issued_at:%Y-%m-%d %H:%M}（北京时间）", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    _heading(pdf, "一、资金")
    _figures(pdf, (("本月认购", fen(d.money.pledged_fen)), ("本月到账", fen(d.money.captured_fen)),
                   ("本月退款", fen(d.money.refunded_fen))))
    _heading(pdf, "二、农户增收")
    _figures(pdf, (("受益户数", f"{d.overall.reached} 户"), ("户均增收", fen(d.overall.average_fen)),
                   ("增收合计", fen(d.overall.earned_fen)), ("基尼系数", f"{d.overall.gini:.2f}")))
    _spread(pdf, "村", d.by_village)
    _spread(pdf, "农户类别", d.by_tier)
    _heading(pdf, "三、配送与投诉")
    on_time = "—" if d.deliveries.percent is None else f"{d.deliveries.percent}%"
    _figures(pdf, (("送达", f"{d.deliveries.delivered} 单"), ("准时率", on_time),
                   ("未处理投诉", f"{d.deliveries.complaints_open} 件"), ("本月处理投诉", f"{d.deliveries.complaints_closed} 件")))
    _heading(pdf, "四、采摘参观")
    attendance = "—" if d.visits.attendance_percent is None else f"{d.visits.attendance_percent}%"
    _figures(pdf, (("已举办", f"{d.visits.held} 场"), ("已取消", f"{d.visits.cancelled} 场"),
                   ("报名人数", f"{d.visits.registered} 人"), ("到场率", attendance)))
    _heading(pdf, "五、众筹进度")
    pdf.set_font(size=10)
    with pdf.table(col_widths=(50, 18, 30, 30, 16), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   headings_style=HEADINGS, line_height=7, padding=(1, 1.5), wrapmode=WrapMode.CHAR) as table:
        table.row(("众筹项目", "状态", "目标", "已认购", "完成率"))
        for c in d.campaigns:
            goal = fen(c.goal_value) if c.goal_kind == "fen" else f"{c.goal_value} {GOAL_NAMES['packages']}"
            table.row((c.title, CAMPAIGN_STATE_NAMES.get(c.state, c.state), goal,
                       f"{c.packages} 份 / {fen(c.pledged_fen)}", f"{c.percent}%"))
        if not d.campaigns:
            table.row(("本月没有进行中的众筹", "", "", "", ""))
    return bytes(pdf.output())


def _heading(pdf, text):
    pdf.ln(4)
    pdf.set_font(size=14)
    pdf.cell(0, 9, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _figures(pdf, pairs):
    pdf.set_font(size=11)
    with pdf.table(col_widths=(1,) * len(pairs), text_align="CENTER", line_height=8, headings_style=HEADINGS) as table:
        table.row(tuple(label for label, _ in pairs))
        table.row(tuple(value for _, value in pairs))


def _spread(pdf, heading, groups):
    if not groups:
        return
    pdf.ln(2)
    pdf.set_font(size=10)
    with pdf.table(col_widths=(40, 16, 22, 22, 22, 22, 16), text_align=("LEFT",) + ("RIGHT",) * 6,
                   headings_style=HEADINGS, line_height=7, padding=(1, 1.5), wrapmode=WrapMode.CHAR) as table:
        table.row((heading, "受益户", "户均", "最低", "中位数", "最高", "基尼"))
        for g in groups:
            table.row((g.label, str(g.reached), fen(g.average_fen), fen(g.lowest_fen), fen(g.median_fen),
                       fen(g.highest_fen), f"{g.gini:.2f}"))
