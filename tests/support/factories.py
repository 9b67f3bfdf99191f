"""Factories for each role's data. Each opens its own app context and returns plain ids and values,
so that no test holds a database session across requests."""

import itertools
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import Household, PartnerUnit, Township, User, Village, WorkTeam
from courtyard.models.types import blind_index
from courtyard.text.identifiers import id_check_digit

PASSWORD = "correct-horse-9"
PIN = "246810"
_seq = itertools.count(1)


def valid_id_number(serial):
    first17 = f"230225198001{serial % 28 + 1:02d}{serial % 1000:03d}"
    return first17 + id_check_digit(first17)


class Factory:
    def __init__(self, app):
        self.app = app

    def village(self, name=None, township="青山镇"):
        with self.app.app_context():
            town = db.session.query(Township).filter_by(name=township).one_or_none() or Township(name=township)
            village = Village(township=town, name=name or f"测试村{next(_seq)}")
            team = WorkTeam(village=village, name=f"{village.name}工作队", contact_phone="0452-1234567")
            db.session.add_all([town, village, team])
            db.session.commit()
            return SimpleNamespace(id=village.id, name=village.name, team_id=team.id, township_id=town.id)

    def _user(self, role, login, **scope):
        user = User(role=role, login=login, display_name=f"{role}-{login}", **scope)
        user.set_secret(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return SimpleNamespace(id=user.id, login=login, password=PASSWORD, role=role)

    def admin(self):
        with self.app.app_context():
            return self._user("county", f"admin{next(_seq)}")

    def team_member(self, village):
        with self.app.app_context():
            return self._user("team", f"team{next(_seq)}", work_team_id=village.team_id)

    def unit(self, name=None, villages=(), budget_fen=1_000_000):
        with self.app.app_context():
            unit = PartnerUnit(name=name or f"测试单位{next(_seq)}", kind="government", annual_budget_fen=budget_fen,
                               villages=[db.session.get(Village, v.id) for v in villages])
            db.session.add(unit)
            db.session.commit()
            return SimpleNamespace(id=unit.id, name=unit.name)

    def partner_user(self, unit):
        with self.app.app_context():
            return self._user("partner", f"unit{next(_seq)}", partner_unit_id=unit.id)

    def household(self, village, tier="poor", name=None, with_pin=False, **fields):
        n = next(_seq)
        with self.app.app_context():
            household = Household(village_id=village.id, head_name=name or f"户主{n}", tier=tier, member_count=3,
                                  phone=fields.pop("phone", f"1380000{n:04d}"), active=True, **fields)
            id_number = valid_id_number(n)
            household.id_number, household.id_number_index, household.id_number_last4 = id_number, blind_index(id_number), id_number[-4:]
            household.bank_card, household.bank_card_last4 = f"6217000011112222{n:03d}", f"2{n:03d}"[-4:]
            db.session.add(household)
            if with_pin:
                user = User(role="household", login=household.phone, display_name=household.head_name, household=household)
                user.set_secret(PIN)
                db.session.add(user)
            db.session.commit()
            return SimpleNamespace(id=household.id, name=household.head_name, phone=household.phone, pin=PIN,
                                   id_number=id_number, bank_card=household.bank_card)


def login(client, user):
    """Log a staff user in through the real login form."""
    response = client.post("/login", data={"login": user.login, "password": user.password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def pin_login(client, household):
    response = client.post("/login/pin", data={"phone": household.phone, "pin": household.pin})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response
