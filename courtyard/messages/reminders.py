"""Messages that come from time passing, queued by the ``send-messages`` job, each once.

- the evening before a collection day (from ``EVENING`` local time), each household with goods
  in the village's published run for that round: when, where, what to bring;
- a complaint still open ``COMPLAINT_WARNING`` before its 48-hour limit: the county's staff;
- a job whose last run failed: the county's staff (once per failed run);
- ``HOST_NOTICE`` before a picking visit, each host household with visitors: when, how many, the fee;
- on Monday from ``WEEKLY`` local time, each team whose households are owed money: how many, how much.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.messages import figures, recipients
from courtyard.messages.queue import tell, tell_all
from courtyard.models import (
    OPEN_VISIT_STATES, AllocationLine, AllocationRun, CollectionDay, DeliveryComplaint, JobLease, Notice, Visit,
    VisitHost, Village, WorkTeam,
)
from courtyard.services.money.ledger import owed_in_village

EVENING = time(18, 0)
WEEKLY = time(9, 0)
HOST_NOTICE = timedelta(days=2)
COMPLAINT_WARNING = timedelta(hours=6)


def queue_due(now):
    """Queue every reminder due at ``now`` that was not queued before; committed."""
    collection_reminders(now)
    complaints_near_limit(now)
    failed_jobs(now)
    payouts_waiting(now)
    hosts_of_visits(now)
    db.session.commit()


def collection_reminders(now):
    soon = db.session.scalars(select(CollectionDay).where(
        CollectionDay.finished_at.is_(None), CollectionDay.starts_at > now,
        CollectionDay.starts_at <= now + timedelta(days=1))).all()
    for day in soon:
        local_day = day.starts_at.astimezone(LOCAL_ZONE).date()
        evening = datetime.combine(local_day - timedelta(days=1), EVENING, tzinfo=LOCAL_ZONE)
        if now < evening:
            continue
        lines = db.session.scalars(select(AllocationLine).join(AllocationRun).where(
            AllocationRun.round_id == day.round_id, AllocationRun.village_id == day.village_id,
            AllocationRun.state == "published", AllocationLine.units > 0).order_by(AllocationLine.id)).all()
        pairs = defaultdict(list)
        for line in lines:
            pairs[line.household_id].append((line.item, line.units))
        for recipient in recipients.households(list(pairs)):
            tell("collection_reminder", recipient,
                 {"name": recipient.name, "when": f"{day.starts_at.astimezone(LOCAL_ZONE):%H:%M}",
                  "place": day.place, "goods": figures.goods(pairs[recipient.household_id])},
                 subject=("collection_day", day.id), now=now)


def complaints_near_limit(now):
    near = db.session.scalars(select(DeliveryComplaint).where(
        DeliveryComplaint.resolved_at.is_(None), DeliveryComplaint.response_due_at <= now + COMPLAINT_WARNING)).all()
    for complaint in near:
        tell_all("complaint_due", recipients.county_staff(),
                 {"unit": complaint.delivery.unit.name, "when": figures.when(complaint.response_due_at)},
                 subject=("complaint", complaint.id), now=now)


def failed_jobs(now):
    failed = db.session.scalars(select(JobLease).where(JobLease.outcome == "failed")).all()
    for lease in failed:
        tell_all("job_failed", recipients.county_staff(), {"job": lease.job_id},
                 subject=("job", None), now=now, extra_key=f"{lease.job_id}:{lease.run_key}")


def payouts_waiting(now):
    """Monday morning, once a week: each village's team hears how many households wait for how much."""
    local = now.astimezone(LOCAL_ZONE)
    monday = datetime.combine(local.date() - timedelta(days=local.weekday()), WEEKLY, tzinfo=LOCAL_ZONE)
    if now < monday or db.session.scalar(select(Notice.id).where(
            Notice.kind == "payouts_waiting", Notice.created_at >= monday).limit(1)):
        return
    week = f"{monday:%G-W%V}"
    for village in db.session.scalars(select(Village).join(WorkTeam).order_by(Village.id)):
        owed = {h: fen for h, fen in owed_in_village(village.id).items() if fen > 0}
        if owed:
            tell_all("payouts_waiting", recipients.team_of_village(village.id),
                     {"village": village.name, "count": len(owed), "amount": figures.yuan(sum(owed.values()))},
                     subject=("village", village.id), now=now, extra_key=week)


def hosts_of_visits(now):
    hosts = db.session.scalars(select(VisitHost).join(Visit).where(
        Visit.state.in_(OPEN_VISIT_STATES), Visit.starts_at > now, Visit.starts_at <= now + HOST_NOTICE,
        VisitHost.visitors > 0).order_by(VisitHost.id)).all()
    for host in hosts:
        visit = host.visit
        tell("visit_hosted", recipients.household(host.household),
             {"name": host.household.head_name, "when": figures.when(visit.starts_at), "visit": visit.title,
              "people": host.visitors, "fee": figures.yuan(visit.fee_fen)},
             subject=("visit", visit.id), now=now)
