"""Every route against every kind of visitor: the answer each must get, from one table.

The table covers ``app.url_map`` exactly: a new route with no expectation fails the test, so none can
be forgotten. Answers: ``ok`` (served, or redirected somewhere other than a login page), ``login``
(redirected to log in), ``401`` (the JSON API: a session cookie is no bearer token), ``403``, ``404``.
"Own" objects belong to the first village, unit and household (see ``world.py``); the ``_other``
visitors are their counterparts elsewhere.
"""

import re

from tests.support.route_world import build_world

VISITORS = ("anonymous", "county", "team", "team_other", "partner", "partner_other", "household", "household_other",
            "staff", "staff_other", "coop", "coop_other")


def policy(anonymous="login", county="403", team="403", team_other=None, partner="403", partner_other=None,
           household="403", household_other=None, staff="404", staff_other=None, coop="403", coop_other=None):
    """Expected answers per visitor; an ``_other`` visitor answers as its own kind unless told.

    A unit's staff member is not told that other roles' pages exist: 404 unless told."""
    return {"anonymous": anonymous, "county": county, "team": team, "team_other": team_other or team,
            "partner": partner, "partner_other": partner_other or partner, "household": household,
            "household_other": household_other or household, "staff": staff, "staff_other": staff_other or staff,
            "coop": coop, "coop_other": coop_other or coop}


EVERYONE = policy(anonymous="ok", county="ok", team="ok", partner="ok", household="ok", staff="ok", coop="ok")
NOBODY_FINDS = policy(anonymous="404", county="404", team="404", partner="404", household="404", staff="404", coop="404")
COUNTY = policy(county="ok")
TEAM = policy(team="ok")
TEAM_OWN = policy(team="ok", team_other="404")
PARTNER = policy(partner="ok")
PARTNER_OWN = policy(partner="ok", partner_other="404")
HOUSEHOLD = policy(household="ok")
COOP = policy(coop="ok")
COOP_OWN = policy(coop="ok", coop_other="404")  # the own cooperative's members, rounds and campaigns
SIGNED_IN = policy(county="ok", team="ok", partner="ok", household="ok", coop="ok")
SIGNED_IN_STAFF_TOO = policy(county="ok", team="ok", partner="ok", household="ok", staff="ok", coop="ok")
API = policy(anonymous="401", county="401", team="401", partner="401", household="401", staff="401",
             coop="401")  # tokens: tests/api

EXPECTED = {
    "static": EVERYONE,
    "auth.login": EVERYONE, "auth.pin_login": EVERYONE, "auth.logout": SIGNED_IN_STAFF_TOO,
    "public.home": EVERYONE, "public.campaigns": EVERYONE, "public.campaign": EVERYONE, "public.health": EVERYONE,
    "public.allocation_notice": EVERYONE, "public.allocation_notice_pdf": EVERYONE,
    "public.set_language": EVERYONE, "public.photo": NOBODY_FINDS, "public.visit_page": EVERYONE,
    "partner.visit_list": PARTNER, "partner.visit_detail": PARTNER,
    "partner.visit_registration_cancel": PARTNER_OWN, "partner.visit_registration_decline": PARTNER_OWN,
    "partner.visit_registration_ics": PARTNER_OWN,
    "partner.delivery_list": PARTNER, "partner.delivery_detail": PARTNER_OWN, "partner.delivery_confirm": PARTNER_OWN,
    "team.collection_rounds": TEAM, "team.collection_round": TEAM_OWN, "team.collection_day": TEAM_OWN,
    "team.collection_record": TEAM_OWN, "team.collection_finish": TEAM_OWN, "team.collection_pick_list": TEAM_OWN,
    "team.collection_sync": TEAM, "team.field_token": TEAM, "team.field_service_worker": TEAM,  # scope: per change
    "webhooks.stripe_webhook": policy(anonymous="400", county="400", team="400", partner="400", household="400",
                                      staff="400", coop="400"),
    "household.home": HOUSEHOLD, "household.statement": HOUSEHOLD, "household.statement_pdf": HOUSEHOLD,
    "partner.statement": PARTNER,
    "team.money": TEAM, "team.pay_all": TEAM, "team.village_statements": TEAM, "team.household_money_page": TEAM_OWN,
    "team.payout_batch": TEAM_OWN, "team.payout_batch_csv": TEAM_OWN, "team.payout_reverse": TEAM_OWN,
    "team.payout_voucher": TEAM_OWN, "team.ledger_reverse": TEAM_OWN,
    "household.batch": policy(household="ok", household_other="404"),
    "public.trace_page": NOBODY_FINDS, "public.villages": EVERYONE, "public.village": EVERYONE,
    "team.trace_round": TEAM_OWN, "team.trace_batch": TEAM_OWN, "team.trace_check": TEAM_OWN,
    "calendar.month": SIGNED_IN, "calendar.subscribe": SIGNED_IN, "calendar.regenerate": SIGNED_IN,
    "calendar.feed": NOBODY_FINDS,
    "auth.api_tokens_page": SIGNED_IN,
    "auth.api_token_revoke": policy(county="ok", team="404", partner="404", household="404",
                                    coop="404"),  # the county's token
    "api.openapi_document": EVERYONE,  # the token is the key; a wrong one finds nothing, whoever asks
    "partner.invoice_list": PARTNER, "partner.invoice_file": PARTNER_OWN, "partner.support_certificate": PARTNER_OWN,
    "partner.home": PARTNER, "partner.addresses": PARTNER, "partner.pledge_list": PARTNER,
    "partner.pledge_new": PARTNER, "partner.pledge_detail": PARTNER_OWN, "partner.pledge_cancel": PARTNER_OWN,
    "partner.pledge_invoice": PARTNER_OWN, "partner.pledge_pay": PARTNER_OWN, "partner.pledge_receipt": PARTNER_OWN,
    "partner.pledge_card_setup": PARTNER_OWN, "partner.pledge_authenticated": PARTNER_OWN,
    "partner.pledge_to_transfer": PARTNER_OWN, "partner.card_list": PARTNER, "partner.card_remove": PARTNER_OWN,
    "team.home": TEAM, "team.household_list": TEAM, "team.household_new": TEAM, "team.household_import": TEAM,
    "team.import_template_csv": TEAM, "team.import_template_xlsx": TEAM, "team.household_detail": TEAM_OWN, "team.household_sign_out": TEAM_OWN,
    "team.household_edit": TEAM_OWN, "team.household_pin": TEAM_OWN, "team.household_active": TEAM_OWN,
    "team.supply_rounds": TEAM, "team.supply_table": TEAM, "team.supply_household": TEAM_OWN,
    "team.allocation_create": TEAM, "team.allocation_run": TEAM_OWN, "team.allocation_adjust": TEAM_OWN,
    "team.dashboard": TEAM, "team.dashboard_table": TEAM, "partner.dashboard": PARTNER, "partner.dashboard_table": PARTNER,
    "inbox.inbox_list": SIGNED_IN_STAFF_TOO, "inbox.inbox_read_all": SIGNED_IN_STAFF_TOO,
    "inbox.inbox_message": policy(county="404", team="404", partner="404", household="ok", household_other="404",
                                  coop="404"),
    "inbox.inbox_preferences": policy(county="ok", team="ok", partner="ok"),
    "inbox.household_preferences": TEAM_OWN, "inbox.county_record": COUNTY, "inbox.county_resend": COUNTY,
    "inbox.run_resend": policy(county="ok", team="ok", team_other="404"),
    "inbox.batch_resend": policy(county="ok", team="ok", team_other="404"), "inbox.round_resend": COUNTY,
    "team.allocation_publish": TEAM_OWN, "team.allocation_unpin": TEAM_OWN, "team.allocation_rerun": TEAM_OWN, "team.allocation_shortfall": TEAM_OWN,
    "team.adoption_shortfall_resolve": TEAM_OWN,
    "staff.sign_in_page": EVERYONE, "staff.code_page": EVERYONE, "staff.join": NOBODY_FINDS,
    "staff.home": policy(staff="ok"), "staff.name_page": policy(staff="ok"), "staff.offer_page": policy(staff="ok", staff_other="404"),
    "partner.staff_roll": PARTNER, "partner.staff_import": PARTNER, "partner.staff_offer_new": PARTNER, "partner.staff_offer": PARTNER_OWN,
    "partner.staff_offer_remind": PARTNER_OWN, "partner.staff_offer_close": PARTNER_OWN,
    "partner.staff_remove": PARTNER_OWN, "partner.staff_handover": PARTNER_OWN,
    "partner.staff_handover_pdf": PARTNER_OWN, "partner.staff_offer_poster": PARTNER_OWN, "partner.staff_box_hand_over": PARTNER_OWN,
    "cooperative.home": COOP, "cooperative.declare": COOP, "cooperative.collection_rounds": COOP,
    "cooperative.member_statements_pdf": COOP, "cooperative.member_statement": COOP_OWN,
    "cooperative.member_statement_pdf": COOP_OWN, "cooperative.allocations": COOP_OWN,
    "cooperative.collection_round": COOP_OWN, "cooperative.collection_record": COOP_OWN,
    "public.integrity_notice": EVERYONE, "team.integrity": TEAM, "partner.delivery_rate": PARTNER_OWN,
}
COUNTY_ENDPOINTS = (
    "home", "campaign_list", "campaign_detail", "campaign_form", "campaign_open", "campaign_close_now",
    "item_list", "item_form", "package_list", "package_form", "place_list", "township_form", "village_form",
    "team_list", "team_detail", "team_form", "unit_list", "unit_detail", "unit_form", "user_active",
    "pledge_admin", "tier_weights", "job_list", "campaign_split", "campaign_split_reset", "campaign_allocate_all",
    "complaint_resolve", "delivery_advance", "delivery_detail", "delivery_list", "offer_plan", "packing_list",
    "round_allocate", "round_detail", "round_list", "round_pack",
    "household_money_page", "payout_batch_csv", "payout_reverse", "payout_voucher", "reconciliation_page",
    "village_pay_all", "village_owed", "dashboard", "dashboard_table", "monthly_report",
    "round_labels", "delivery_labels", "pledge_lines_export", "campaign_close_early",
    "ledger_reverse",
    "statement_list", "statement_presets", "statement_detail", "statement_confirm", "statement_line",
    "invoice_list", "invoice_detail", "invoice_file", "support_certificate",
    "ledger_reverse", "cooperative_list", "cooperative_form", "cooperative_detail", "cooperative_user_new",
    "contract_list", "contract_new", "contract_detail", "contract_pdf", "contract_scan", "contract_step", "contract_end",
    "integrity_overview", "integrity_cooperative", "integrity_household", "sanction_lift",
)
VISIT_ORGANISER_ENDPOINTS = ("visit_list", "visit_new", "visit_detail", "visit_edit", "visit_hosts", "visit_reschedule",
                             "visit_cancel", "visit_checkin", "visit_mark", "visit_done")
API_ENDPOINTS = ("me", "campaign_list", "campaign_detail", "package_list", "pledge_list", "pledge_detail", "pledge_create",
                 "delivery_list", "delivery_detail", "household_list", "household_detail", "allocation_run_list",
                 "allocation_run_detail", "statement")
EXPECTED.update({f"api.{name}": API for name in API_ENDPOINTS})
EXPECTED.update({f"county.{name}": COUNTY for name in COUNTY_ENDPOINTS + VISIT_ORGANISER_ENDPOINTS})
EXPECTED.update({f"team.{name}": TEAM if name in ("visit_list", "visit_new") else TEAM_OWN
                 for name in VISIT_ORGANISER_ENDPOINTS})
# State changes that would spoil the shared world for the visitors after them are run last.
LAST = ("county.campaign_close_now", "county.campaign_close_early", "county.visit_cancel", "team.visit_cancel",
        "partner.staff_offer_close", "auth.logout")


def routes(app):
    """(endpoint, rule, method) for every route and method the app answers, not HEAD or OPTIONS."""
    return sorted(
        ((rule.endpoint, rule.rule, method) for rule in app.url_map.iter_rules()
         for method in rule.methods - {"HEAD", "OPTIONS"}),
        key=lambda route: (route[0] == "auth.logout", route[0] in LAST, route[0], route[1], route[2]),  # logout ends the session
    )


def test_every_route_has_an_expectation(app):
    """A route added without a line in the table fails here, and a line for a route that is gone too."""
    endpoints = {endpoint for endpoint, _, _ in routes(app)}
    assert sorted(endpoints - EXPECTED.keys()) == []
    assert sorted(EXPECTED.keys() - endpoints) == []


def answer(response):
    if response.status_code in (301, 302, 303, 307, 308):
        return "login" if "/login" in response.headers.get("Location", "") else "ok"
    if response.status_code >= 500:
        return f"{response.status_code} (server error)"
    if response.status_code in (400, 401, 403, 404, 405):
        return str(response.status_code)
    return "ok"


def test_every_visitor_gets_the_expected_answer_on_every_route(app, make):
    """Each kind of visitor gets exactly the answer the table gives, on every route and method."""
    world = build_world(app, make)
    wrong = []
    for visitor in VISITORS:
        for endpoint, rule, method in routes(app):
            expected = EXPECTED[endpoint][visitor]
            got = _visit(app, world, visitor, rule, method)
            if got != expected and not (expected == "ok" and method == "POST" and got == "400"):
                wrong.append(f"{visitor:16} {method:4} {rule}: expected {expected}, got {got}")
    assert wrong == [], "\n".join(wrong)


def _visit(app, world, visitor, rule, method):
    client = app.test_client()
    user = world.visitors[visitor]
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
    url = re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: str(world.params.get(m.group(1), m.group(0))), rule)
    assert "<" not in url, f"no value for a parameter of {rule}"
    response = client.open(url, method=method, data={})
    return answer(response)
