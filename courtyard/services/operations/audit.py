"""Recording audit events alongside the change they describe (same transaction)."""

from courtyard.extensions import db
from courtyard.models import AuditEvent


def record(actor, action, entity, entity_id=None, **detail):
    """Add an audit event to the current session; the caller commits it with the change."""
    db.session.add(
        AuditEvent(
            actor_id=getattr(actor, "id", None), action=action, entity=entity, entity_id=entity_id, detail=detail
        )
    )
