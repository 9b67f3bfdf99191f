"""A small county with known figures for the dashboard tests.

Village 青山镇·东村: a poor household earns ¥60 (4 units), another poor one ¥30, a lifted one ¥15, one earns
nothing. Village 白水镇·西村: a monitored household earns ¥45. All in December 2026 (local time), from one
campaign that a unit paid ¥504 for (3 packages of ¥168, goal 10 packages).
"""

from datetime import date
from types import SimpleNamespace

from courtyard.localtime import period_of
from courtyard.services.dashboards.dashboard_county import DashboardFilters
from tests.ledger.support import NOW, accept, paid_campaign

DECEMBER = period_of("month", date(2026, 12, 1))


def small_county(app, make):
    campaign_id, item_id, pledge_id = paid_campaign(app, quantity=3)
    east, west = make.village("东村", township="青山镇"), make.village("西村", township="白水镇")
    households = {
        "first": make.household(east, name="张桂芳"), "second": make.household(east, name="李秀英"),
        "lifted": make.household(east, tier="lifted", name="王建国"), "idle": make.household(east, name="赵大山"),
        "west": make.household(west, tier="monitored", name="周建华"),
    }
    for key, units in (("first", 4), ("second", 2), ("lifted", 1), ("west", 3)):
        accept(app, households[key].id, campaign_id, item_id, units)
    return SimpleNamespace(campaign_id=campaign_id, item_id=item_id, pledge_id=pledge_id, east=east, west=west,
                           households=households, now=NOW)


def filters(**narrowing):
    return DashboardFilters(period=DECEMBER, **narrowing)
