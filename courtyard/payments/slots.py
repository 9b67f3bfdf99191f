"""A host's few slots for web requests waiting on the payment server (a bulkhead), shared by its workers.

The breaker opens only after failures are seen, and the first failures of a hung server take a read
timeout each; while they are being seen, every worker that takes a card payment would wait on it and
the host would serve nothing else. So at most ``count`` calls of a host wait on the payment server at
once: each holds an exclusive ``flock`` on one of ``count`` files in a directory of the host (the
kernel lets go of it if the worker dies) and writes when its call began. A caller that finds every
slot taken waits for one while the server is answering (a slow but healthy server frees them within
a second or so; the wait is bounded by what is left of the request's budget), but answers at once,
without calling, as soon as even the newest holder has waited longer than ``overdue``: the server is
hanging, and the other workers stay free for the rest of the site.
"""

import contextlib
import fcntl
import os
import time
from pathlib import Path

from courtyard.payments.errors import PaymentServicePaused


class HostSlots:
    """``count`` slot files in ``directory``; see the module docstring."""

    def __init__(self, directory, count, *, overdue=2.0, longest_wait=4.0, poll=0.05, clock=time.time):
        self.directory, self.count = Path(directory), int(count)
        self.overdue, self.longest_wait, self.poll, self.clock = overdue, longest_wait, poll, clock
        self.directory.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def held(self, longest_wait=None):
        """Hold a slot for one call; raises :class:`PaymentServicePaused` when none comes free in time."""
        handle = self._take(self.longest_wait if longest_wait is None else min(longest_wait, self.longest_wait))
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def _take(self, longest_wait):
        give_up = time.monotonic() + longest_wait
        while True:
            for index in range(self.count):
                handle = open(self.directory / f"slot-{index}", "a+")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    continue
                handle.truncate(0)
                handle.write(repr(self.clock()))
                handle.flush()
                return handle
            if self._newest_wait() > self.overdue or time.monotonic() >= give_up:
                raise PaymentServicePaused("Every slot of this host for the payment server is taken by a call "
                                           "still waiting for an answer.", code="slots_taken")
            time.sleep(self.poll)

    def _newest_wait(self):
        """How long the most recent of the calls holding a slot has been waiting (0 if unknown)."""
        now, waits = self.clock(), []
        for index in range(self.count):
            try:
                began = (self.directory / f"slot-{index}").read_text().strip()
                waits.append(now - float(began))
            except (OSError, ValueError):
                waits.append(0.0)  # being taken or let go right now
        return min(waits, default=0.0)


def slots_directory(instance_path):
    """Where a host's workers keep their slots: in the app's instance folder, one per host."""
    return os.path.join(instance_path, "payment-slots")
