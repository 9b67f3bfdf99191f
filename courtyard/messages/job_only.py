"""Senders to outside services run in jobs, never in a web request.

An SMTP server (or an SMS gateway) that hangs must not hold a gunicorn worker: a request only queues
its message in the transaction of the change it reports (``messages.outbox.queue``), and the job
(``send-mail``) delivers the queue. A sender calls :func:`refuse_in_web_request` first, so a future
call from a view fails loudly in the tests instead of quietly tying up workers in production.
"""

from flask import has_request_context


class SentFromRequest(RuntimeError):
    """A sender to an outside service was called while serving a web request."""


def refuse_in_web_request(what):
    """Raise :class:`SentFromRequest` when called while serving a web request."""
    if has_request_context():
        raise SentFromRequest(f"{what} runs in a job, never in a web request; queue the message instead")
