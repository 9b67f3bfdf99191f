"""Where a circuit breaker's state lives, so that every worker of a host (and every host) shares it.

:class:`DatabaseBreakerStore` keeps one row per breaker in ``service_breaker`` and works on its own
connections (short autocommitted statements), never in the caller's transaction: a card payment that
rolls back still counts its failure. :class:`RedisBreakerStore` keeps a hash per breaker and changes
it with small Lua scripts, each atomic. A store that cannot be reached lets calls through (the
payment server is then tried as if there were no breaker) and logs why.
"""

import logging
from datetime import datetime, timezone

from sqlalchemy import bindparam, case, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from courtyard.payments.breaker import BreakerState

log = logging.getLogger(__name__)


class DatabaseBreakerStore:
    """The ``service_breaker`` table through ``engine``."""

    def __init__(self, engine):
        from courtyard.models.breakers import ServiceBreaker

        self.engine, self.table = engine, ServiceBreaker.__table__

    def read(self, name):
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(self.table).where(self.table.c.name == name)).mappings().first()
        except SQLAlchemyError as error:
            log.warning("breaker %s unreadable, calls go through: %s", name, error)
            return BreakerState()
        if row is None:
            return BreakerState()
        return BreakerState(row["failures"], row["opened_until"], row["last_failure_at"], row["last_error"] or "",
                            token=row["opened_until"])

    def claim_trial(self, name, token, until):
        t = self.table
        try:
            with self.engine.begin() as conn:
                return conn.execute(update(t).where(t.c.name == name, t.c.opened_until == token)
                                    .values(opened_until=until)).rowcount == 1
        except SQLAlchemyError as error:
            log.warning("breaker %s unwritable, the call goes through: %s", name, error)
            return True

    def reset(self, name):
        t = self.table
        try:
            with self.engine.begin() as conn:
                conn.execute(update(t).where(t.c.name == name, or_(t.c.failures > 0, t.c.opened_until.is_not(None)))
                             .values(failures=0, opened_until=None))
        except SQLAlchemyError as error:
            log.warning("breaker %s unwritable: %s", name, error)

    def add_failure(self, name, now, error, threshold, until):
        t = self.table
        opened = case((t.c.failures + 1 >= threshold, bindparam("until", until, type_=t.c.opened_until.type)),
                      else_=t.c.opened_until)
        change = (update(t).where(t.c.name == name)
                  .values(failures=t.c.failures + 1, opened_until=opened, last_failure_at=now, last_error=error))
        try:
            failures = self._count(change, name)
            if failures is None:
                try:
                    with self.engine.begin() as conn:
                        conn.execute(insert(t).values(name=name, failures=0, last_error=""))
                except IntegrityError:  # another worker made the row meanwhile
                    pass
                failures = self._count(change, name) or 0
            return failures
        except SQLAlchemyError as problem:
            log.warning("breaker %s unwritable: %s", name, problem)
            return 0

    def _count(self, change, name):
        """Apply ``change``; the failures it leaves, or None when there is no row yet."""
        with self.engine.begin() as conn:
            if conn.execute(change).rowcount == 0:
                return None
            return conn.execute(select(self.table.c.failures).where(self.table.c.name == name)).scalar_one()


_ADD_FAILURE = """
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'last_failure_at', ARGV[1], 'last_error', ARGV[2])
if failures >= tonumber(ARGV[3]) then redis.call('HSET', KEYS[1], 'opened_until', ARGV[4]) end
return failures
"""
_CLAIM_TRIAL = """
if redis.call('HGET', KEYS[1], 'opened_until') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'opened_until', ARGV[2])
  return 1
end
return 0
"""


class RedisBreakerStore:
    """A hash ``courtyard:breaker:<name>`` per breaker in the Redis at ``url``; times as Unix seconds."""

    def __init__(self, url, *, prefix="courtyard:breaker:"):
        import redis

        self.errors = (redis.RedisError,)
        self.redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True)
        self.prefix = prefix
        self._add_failure = self.redis.register_script(_ADD_FAILURE)
        self._claim_trial = self.redis.register_script(_CLAIM_TRIAL)

    def read(self, name):
        try:
            fields = self.redis.hgetall(self.prefix + name)
        except self.errors as error:
            log.warning("breaker %s unreadable, calls go through: %s", name, error)
            return BreakerState()
        token = fields.get("opened_until")
        return BreakerState(int(fields.get("failures") or 0), _time(token), _time(fields.get("last_failure_at")),
                            fields.get("last_error", ""), token=token)

    def claim_trial(self, name, token, until):
        try:
            return bool(self._claim_trial(keys=[self.prefix + name], args=[token, _seconds(until)]))
        except self.errors as error:
            log.warning("breaker %s unreachable, the call goes through: %s", name, error)
            return True

    def reset(self, name):
        try:
            key = self.prefix + name
            self.redis.pipeline().hset(key, "failures", 0).hdel(key, "opened_until").execute()
        except self.errors as error:
            log.warning("breaker %s unreachable: %s", name, error)

    def add_failure(self, name, now, error, threshold, until):
        try:
            return int(self._add_failure(keys=[self.prefix + name],
                                         args=[_seconds(now), error, threshold, _seconds(until)]))
        except self.errors as problem:
            log.warning("breaker %s unreachable: %s", name, problem)
            return 0


def _seconds(moment):
    return repr(moment.timestamp())


def _time(seconds):
    return datetime.fromtimestamp(float(seconds), timezone.utc) if seconds else None
