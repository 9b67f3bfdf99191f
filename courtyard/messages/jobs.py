"""The message jobs' bodies: ``send-messages`` sends the texts, then tells about what is due.

The reminders and warnings that come from time passing (a collection day tomorrow, complaints near
their 48 hours, jobs that failed) are queued here first, each once (their notices' keys), so one
job covers both and is safe to run twice.
"""

from courtyard.messages import reminders, sending


def send_messages(config, now):
    reminders.queue_due(now)
    return sending.send_pending(config, now)
