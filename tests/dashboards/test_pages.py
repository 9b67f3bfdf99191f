"""The dashboards as each role sees them: the figures, the charts, the filters, and who sees what."""

from types import SimpleNamespace

from tests.support.dashboards import page, small_county


def test_the_county_dashboard_shows_every_section_with_charts(app, make):
    """The county sees 户均增收 ¥37.50 over 4 households with its spread, funding at 30 %, money pledged and
    received, and server-drawn SVG charts; the county home links to it."""
    small_county(app, make)
    admin = make.admin()
    status, html = page(app, admin, "/county/dashboard?period=month&start=2026-12-01")
    assert status == 200
    for figure in ('data-figure="average-increase">¥37.50', 'data-figure="reached">4', 'data-figure="gini">0.25',
                   'data-figure="median">¥37.50', 'data-figure="pledged">¥504.00', 'data-figure="captured">¥504.00'):
        assert figure in html
    assert html.count("<svg") >= 4 and "30%" in html
    assert "/county/reports/2026-11.pdf" in html and "/county/reports/2026-12.pdf" in html  # last month, this month
    assert "/county/dashboard/tiers.xlsx?period=month&amp;start=2026-12-01" in html
    assert "/county/dashboard" in page(app, admin, "/county/")[1]


def test_filters_narrow_the_county_dashboard_and_bad_values_are_explained(app, make):
    """Choosing a village shows only its households; a village that does not exist, a campaign id that is
    text and an end before the start are each explained next to their field, never a server error."""
    c = small_county(app, make)
    admin = make.admin()
    _, west = page(app, admin, f"/county/dashboard?village={c.west.id}")
    assert 'data-figure="average-increase">¥45.00' in west and 'data-figure="reached">1' in west
    status, bad = page(app, admin, "/county/dashboard?village=99999&campaign=abc&period=custom&start=2026-12-05"
                                   "&end=2026-12-01")
    assert status == 200
    assert bad.count('class="field-error"') == 3
    assert 'data-figure="reached">4' in bad  # the whole county, this year, as if no filter had been given


def test_a_work_team_sees_only_its_own_village(app, make):
    """The west team sees its one household's ¥45.00, even when it asks for the east village in the query;
    the east team sees its three households; neither sees the county's money."""
    c = small_county(app, make)
    west_team, east_team = make.team_member(c.west), make.team_member(c.east)
    status, west = page(app, west_team, f"/team/dashboard?village={c.east.id}")
    assert status == 200
    assert 'data-figure="average-increase">¥45.00' in west and 'data-figure="reached">1' in west
    assert "东村" not in west and 'data-figure="captured"' not in west
    _, east = page(app, east_team, "/team/dashboard")
    assert 'data-figure="average-increase">¥35.00' in east and 'data-figure="reached">3' in east
    assert "/team/dashboard" in page(app, east_team, "/team/")[1]


def test_a_partner_unit_sees_what_it_bought_and_whom_it_helped_masked(app, make, packed):
    """The buying unit sees its 3 packages and the households' masked names; another unit sees none of it."""
    buyer, other = make.partner_user(SimpleNamespace(id=packed.unit_id)), make.partner_user(make.unit())
    _, mine = page(app, buyer, "/partner/dashboard")
    assert 'data-figure="packages">3' in mine and 'data-figure="earned">¥90.00' in mine
    assert "王**英" in mine and "王秀" not in mine and "<svg" in mine
    _, theirs = page(app, other, "/partner/dashboard")
    assert 'data-figure="packages">0' in theirs and "王**英" not in theirs
