"""Guessing PINs: pauses that grow and end by themselves, a daily limit per phone, a county-wide alarm.

Five wrong PINs in a row pause PIN logins for that phone for 15 minutes, the next time an hour,
then 4 hours, then a day: never for good, so nobody can lock a household out by guessing. Every
failed login is kept (``LoginFailure``), whether the phone belongs to a household or not, and a
success does not wipe it: a phone with ``PIN_DAILY_LIMIT`` failures in the last 24 hours is refused
until they age, and :func:`failure_spike` tells the county when failures across many phones climb.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import distinct, func, select

from courtyard.extensions import db
from courtyard.models import LoginFailure

PAUSES = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4), timedelta(hours=24))
DAY = timedelta(hours=24)
SPIKE_WINDOW = timedelta(hours=1)


def pause_after(lock_count):
    """How long the ``lock_count``-th pause (1, 2, …) lasts."""
    return PAUSES[min(max(lock_count, 1), len(PAUSES)) - 1]


def record_failure(kind, login, address, now):
    db.session.add(LoginFailure(kind=kind, login=(login or "")[:60], address=(address or "")[:45], at=now))


def failures_in_last_day(kind, login, now):
    return db.session.scalar(select(func.count(LoginFailure.id)).where(
        LoginFailure.kind == kind, LoginFailure.login == login, LoginFailure.at > now - DAY)) or 0


def count_wrong_pin(user, max_failures, now):
    """One more wrong PIN in a row; the ``max_failures``-th pauses PIN logins. Returns True when it paused."""
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins < max_failures:
        return False
    user.lock_count = (user.lock_count or 0) + 1
    user.locked_until = now + pause_after(user.lock_count)
    user.failed_logins = 0
    return True


@dataclass(frozen=True)
class FailureSpike:
    failures: int
    phones: int
    addresses: int
    threshold: int

    @property
    def alarm(self):
        return self.phones >= self.threshold


def failure_spike(now, threshold):
    """Wrong PIN logins of the last hour, county-wide; an alarm when ``threshold`` or more phones had one."""
    since = now - SPIKE_WINDOW
    failures, phones, addresses = db.session.execute(select(
        func.count(LoginFailure.id), func.count(distinct(LoginFailure.login)), func.count(distinct(LoginFailure.address)),
    ).where(LoginFailure.kind == "pin", LoginFailure.at > since)).one()
    return FailureSpike(failures or 0, phones or 0, addresses or 0, threshold)
