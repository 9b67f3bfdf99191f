"""The county allocates a campaign for every supplying village at once, each on its own share."""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import AllocationRun
from courtyard.services.allocation import allocation_runs
from courtyard.services.allocation.demand_split import supplying_villages
from courtyard.services.operations import audit


def latest_runs(campaign_id):
    """``{village_id: AllocationRun}``: each village's published run, else its newest draft."""
    runs = {}
    for run in db.session.scalars(select(AllocationRun).where(AllocationRun.campaign_id == campaign_id)
                                  .order_by(AllocationRun.id)):
        current = runs.get(run.village_id)
        if current is None or current.state != "published":
            runs[run.village_id] = run
    return runs


def allocate_all(actor, campaign_id, now):
    """Compute every supplying village's allocation on its share: a new draft, or its draft again
    (pins kept); a village whose allocation is published is left alone.

    Returns ``{"created": n, "recomputed": n, "published": n}``.
    """
    counts = {"created": 0, "recomputed": 0, "published": 0}
    runs = latest_runs(campaign_id)
    for village in supplying_villages(campaign_id):
        run = runs.get(village.id)
        if run is None:
            allocation_runs.create_run(actor, campaign_id, village.id, now)
            counts["created"] += 1
        elif run.state == "draft":
            allocation_runs.rerun(actor, run, now)
            counts["recomputed"] += 1
        else:
            counts["published"] += 1
    audit.record(actor, "county_allocation", "campaign", campaign_id, **counts)
    db.session.commit()
    return counts
