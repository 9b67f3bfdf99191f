"""Sending sign-in codes within seconds, still through the provider's SDK and the messages record.

A code is useless after five minutes and a person waits for it with the page open, so it cannot
wait for the once-a-minute ``send-messages`` job; yet a web request must not call the provider
(:mod:`courtyard.messages.job_only`: a hung gateway would hold a worker). So the request only queues the code
(a ``login_code`` notice and its SMS delivery, like every text), and a dedicated sender process,
``flask courtyard send-codes-watch --every 2``, sends queued codes every couple of seconds with the same
claim-send-record steps and per-number limits as every text (:func:`courtyard.messages.sending.send_pending`
restricted to the code kind). This is the usual shape of a verification service: a small,
high-priority queue with its own worker. The ``send-codes`` job sends any code the watcher missed
(it was down), and ``send-messages`` would too.
"""

import time

from courtyard.messages import sending
from courtyard.models.types import utcnow

CODE_KINDS = ("login_code",)


def send_codes(config, now):
    """Send every queued sign-in code now; returns :class:`courtyard.messages.sending.SendResult`."""
    return sending.send_pending(config, now, kinds=CODE_KINDS)


def watch(config, every_seconds, rounds=None, on_result=None):
    """Send queued codes every ``every_seconds`` until stopped (or ``rounds`` rounds)."""
    done = 0
    while rounds is None or done < rounds:
        result = send_codes(config, utcnow())
        if on_result is not None and result.sent + result.waiting + result.failed:
            on_result(result)
        done += 1
        time.sleep(every_seconds)
