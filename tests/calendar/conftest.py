import pytest

from tests.support.calendar_world import build_world


@pytest.fixture
def world(app, make):
    return build_world(app, make)
