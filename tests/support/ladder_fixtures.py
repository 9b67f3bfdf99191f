"""The ladder's fixtures (one per stage, each built on the one before) and ``login_as(role)``.

A test asks for the furthest stage it needs: ``def test_…(packed): …``; the stages it passes through are the
same scene (``campaign is packed`` when a test asks for both). For other options, ask for ``ladder`` and climb:
``ladder.packed(reject=1)``. ``login_as("team")`` logs a new user of that role in through the real login form,
at the moment it is called, so a test that travels logs in inside the travelled clock.
"""

from types import SimpleNamespace

import pytest

from courtyard.extensions import db
from courtyard.models import User
from tests.support import ladder as stages
from tests.support.factories import login, pin_login

ROLES = ("county", "team", "partner", "household")


@pytest.fixture
def ladder(app, make):
    """:class:`tests.support.ladder.Ladder`: climb to a stage with options."""
    return stages.Ladder(app, make)


@pytest.fixture
def campaign(app, make, request):
    scene = stages.open_campaign(app, make)
    request.node.courtyard_scene = scene
    return scene


@pytest.fixture
def pledged(app, campaign):
    return stages.pledge(app, campaign)


@pytest.fixture
def paid(app, pledged):
    return stages.pay(app, pledged)


@pytest.fixture
def planned(app, paid):
    return stages.plan(app, paid)


@pytest.fixture
def allocated(app, planned):
    return stages.allocate(app, planned)


@pytest.fixture
def collected(app, allocated):
    return stages.collect(app, allocated)


@pytest.fixture
def packed(app, collected):
    return stages.pack(app, collected)


@pytest.fixture
def delivered(app, packed):
    return stages.deliver(app, packed)


@pytest.fixture
def login_as(app, client, make, request):
    """``login_as(role, of=None)`` → the user, logged in on ``client`` now.

    ``role`` is one of :data:`ROLES` (``"unit"`` means ``"partner"``). ``of`` is what the user belongs to: a
    village (team), a unit (partner), a household with a PIN (household). Without it the user belongs to the
    scene of the ladder fixture the test asked for (its village, its unit, its first household), or to a new
    village, unit or household when the test asked for none.
    """

    def log_in(role, of=None):
        role = "partner" if role == "unit" else role
        if role not in ROLES:
            raise ValueError(f"login_as: no role {role!r}; one of {ROLES}")
        scene = getattr(request.node, "courtyard_scene", None)
        if role == "county":
            user = make.admin()
        elif role == "team":
            user = make.team_member(of or (scene.village if scene else make.village()))
        elif role == "partner":
            user = make.partner_user(of or (SimpleNamespace(id=scene.unit_id) if scene else make.unit()))
        else:
            household = of or (scene.households[0] if scene else make.household(make.village(), with_pin=True))
            pin_login(client, household)
            return _household_user(app, household)
        login(client, user)
        return user

    return log_in


def _household_user(app, household):
    with app.app_context():
        user = db.session.query(User).filter_by(household_id=household.id).one()
        return SimpleNamespace(id=user.id, role="household", household_id=household.id)
