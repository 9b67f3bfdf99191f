import pytest

from tests.calendar.world import build_world


@pytest.fixture
def world(app, make):
    return build_world(app, make)
