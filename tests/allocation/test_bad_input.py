"""Random text in the capacity, adjustment and shortfall forms gives a page, never a server error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.supply import declare_for, paid_round

# NUL is left out: PostgreSQL refuses it in any text column, app-wide (see tests/web/test_bad_input.py)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
NUMBERISH = st.one_of(TEXT, st.integers(min_value=-10**12, max_value=10**12).map(str),
                      st.sampled_from(["Infinity", "NaN", "1e9", "0x10", "٣", "３", " 2 ", "-0"]))


def test_allocation_forms_survive_any_text(app, client, make, login_as):
    """Do the capacity table, the adjustment and the shortfall forms answer any input with 200, 302 or 422?"""
    village, round_ = make.village(), paid_round(app)
    households = [make.household(village), make.household(village, tier="lifted")]
    declare_for(app, round_, {h.id: 3 for h in households})
    login_as("team", of=village)
    run_id = int(client.post(f"/team/allocation/{round_.id}/run").headers["Location"].rsplit("/", 1)[1])
    cells = [f"cap_{h.id}_{round_.item_id}" for h in households]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(NUMBERISH, min_size=8, max_size=8), TEXT)
    def run(values, reason):
        posts = [
            (f"/team/supply/{round_.id}", dict(zip(cells, values))),
            (f"/team/supply/{round_.id}/households/{households[0].id}",
             {"item": values[2], "units": values[3], "note": reason}),
            (f"/team/allocation/runs/{run_id}/adjust",
             {"household": values[4], "item": values[5], "units": values[6], "reason": reason}),
            (f"/team/allocation/runs/{run_id}/shortfall",
             {"shortfall-household": values[4], "shortfall-item": values[5], "shortfall-units": values[7],
              "shortfall-reason": reason, "shortfall-confirmed": values[0]}),
            (f"/team/allocation/runs/{run_id}/rerun", {"keep_pins": values[1]}),
        ]
        for path, data in posts:
            response = client.post(path, data=data)
            assert response.status_code in (200, 302, 422), (path, data, response.status_code)

    run()
