"""Each campaign's progress kept on the campaign, in step with its pledges, in the same transaction.

A campaign's packages, money (less refunds) and units taking part count the pledges that are
authorised or paid (:data:`COUNTED_STATES`). Pages read the three columns on the campaign instead of
summing 200,000 pledge lines. They are recounted for a campaign by :func:`keep_in_step` whenever one
of its pledges or pledge lines is written, whatever service writes it:

- ORM changes: after each flush, the campaigns of the pledges and lines added, changed or deleted in it;
- an ``UPDATE`` of the pledge table sent through the session (a refund reserves ``refunded_fen`` so):
  the campaigns of the rows it matches.

The recount locks the campaign's row first, so on PostgreSQL two transactions writing pledges of
one campaign take turns and the second counts the first's committed pledges (each statement reads
what is committed when it starts). Rows inserted with Core outside the session (the county-sized
demo) are counted by :func:`recount_all`.
"""

from sqlalchemy import Update, event, func, select, update
from sqlalchemy.orm import Session, attributes

from courtyard.models import Campaign, Pledge, PledgeLine

COUNTED_STATES = ("authorized", "paid")  # what counts towards the goal
COLUMNS = ("progress_packages", "progress_fen", "progress_units")
WATCHED = ("state", "total_fen", "refunded_fen", "campaign_id", "unit_id")
DUE = "campaign_progress_due"  # session.info key: campaign ids to recount after this flush


def _counts():
    """The three figures of the campaign row being updated, from its counted pledges."""
    counted = (Pledge.campaign_id == Campaign.id, Pledge.state.in_(COUNTED_STATES))
    return {
        "progress_packages": func.coalesce(select(func.sum(PledgeLine.quantity)).join(Pledge)
                                           .where(*counted).scalar_subquery(), 0),
        "progress_fen": func.coalesce(select(func.sum(Pledge.total_fen - Pledge.refunded_fen))
                                      .where(*counted).scalar_subquery(), 0),
        "progress_units": select(func.count(func.distinct(Pledge.unit_id))).where(*counted).scalar_subquery(),
    }


def keep_in_step(session, campaign_ids):
    """Recount the progress of ``campaign_ids`` from their pledges, under a lock on each campaign's row."""
    ids = sorted({i for i in campaign_ids if i is not None})
    if not ids:
        return
    connection = session.connection()  # plain statements: no autoflush, safe inside a flush
    connection.execute(select(Campaign.id).where(Campaign.id.in_(ids)).order_by(Campaign.id).with_for_update())
    connection.execute(update(Campaign).where(Campaign.id.in_(ids)).values(**_counts())
                       .execution_options(synchronize_session=False))
    for row in connection.execute(select(Campaign.id, *(getattr(Campaign, c) for c in COLUMNS))
                                  .where(Campaign.id.in_(ids))):
        loaded = session.identity_map.get((Campaign, (row[0],), None))
        if loaded is not None:
            for column, value in zip(COLUMNS, row[1:]):
                attributes.set_committed_value(loaded, column, value)


def recount_all(session):
    """Recount every campaign (after rows were inserted without the session seeing them)."""
    session.execute(update(Campaign).values(**_counts()).execution_options(synchronize_session=False))
    session.expire_all()


def _changed(instance, names):
    return any(attributes.get_history(instance, name).has_changes() for name in names)


@event.listens_for(Session, "before_flush")
def _note_due(session, _flush_context, _instances):
    """Note the pledges and lines this flush writes (their campaign ids may only be known after it)."""
    due = session.info.setdefault(DUE, {"campaigns": set(), "pledges": set(), "objects": []})
    for instance in session.new:
        if isinstance(instance, (Pledge, PledgeLine)):
            due["objects"].append(instance)
    for instance in session.dirty:
        if isinstance(instance, Pledge) and _changed(instance, WATCHED):
            due["objects"].append(instance)
            due["campaigns"].update(attributes.get_history(instance, "campaign_id").deleted or ())
        elif isinstance(instance, PledgeLine) and _changed(instance, ("quantity", "pledge_id")):
            due["objects"].append(instance)
            due["pledges"].update(attributes.get_history(instance, "pledge_id").deleted or ())
    for instance in session.deleted:
        if isinstance(instance, Pledge):
            due["campaigns"].add(instance.campaign_id)
        elif isinstance(instance, PledgeLine):
            due["pledges"].add(instance.pledge_id)


@event.listens_for(Session, "after_flush_postexec")
def _recount_due(session, _flush_context):
    due = session.info.pop(DUE, None)
    if not due:
        return
    campaigns, pledges = due["campaigns"], due["pledges"]
    for instance in due["objects"]:
        if isinstance(instance, Pledge):
            campaigns.add(instance.campaign_id)
        else:
            pledges.add(instance.pledge_id)
    pledges.discard(None)
    if pledges:
        campaigns.update(session.connection().execute(
            select(Pledge.campaign_id).where(Pledge.id.in_(sorted(pledges))).distinct()).scalars())
    keep_in_step(session, campaigns)


@event.listens_for(Session, "after_rollback")
def _forget_due(session):
    session.info.pop(DUE, None)


@event.listens_for(Session, "do_orm_execute")
def _recount_after_update(state):
    """An ``UPDATE`` of pledges sent through the session: recount the campaigns of the rows it matches."""
    statement = state.statement
    if not (state.is_update and isinstance(statement, Update)
            and getattr(statement.table, "name", None) == Pledge.__tablename__):
        return None
    session = state.session
    query = select(Pledge.campaign_id).distinct()
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    campaign_ids = set(session.connection().execute(query).scalars())
    result = state.invoke_statement()
    keep_in_step(session, campaign_ids)
    return result
