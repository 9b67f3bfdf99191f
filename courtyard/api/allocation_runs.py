"""Allocation runs: a work team its own village's (drafts too), the county every one."""

from flask_login import current_user

from courtyard.access import allocation_run_in_scope, allocation_runs_visible_to
from courtyard.api.paging import paged
from courtyard.api.routes import api_route, page_of, ref
from courtyard.api.shapes import allocation_run_json
from courtyard.models import AllocationRun


@api_route("/allocation-runs", summary="Allocation runs of your village (the county: all)",
           returns=page_of("AllocationRun"), tag="allocation", roles=("county", "team"))
def allocation_run_list():
    return paged(allocation_runs_visible_to(current_user).order_by(AllocationRun.created_at.desc(),
                                                                   AllocationRun.id.desc()), allocation_run_json)


@api_route("/allocation-runs/<int:run_id>", summary="One allocation run with each household's lines",
           returns=ref("AllocationRun"), tag="allocation", roles=("county", "team"))
def allocation_run_detail(run_id):
    return allocation_run_json(allocation_run_in_scope(run_id), with_lines=True)
