from flask import current_app, render_template
from flask_login import current_user

from courtyard.access import household_in_scope
from courtyard.household import bp
from courtyard.models.types import utcnow
from courtyard.services.contracts import progress as contract_progress
from courtyard.services.contracts.wording import plain_words
from courtyard.services.money.statements import year_figures
from courtyard.services.supply import adoptions
from courtyard.services.supply.collection import still_to_bring
from courtyard.services.supply.supply_dates import supplies_by_date
from courtyard.services.supply import supply
from courtyard.services.allocation import allocation_runs


@bp.route("/")
def home():
    household = household_in_scope(current_user.household_id)
    declarations = supply.declarations_of_household(household.id)
    allocated = allocation_runs.published_lines_of_household(household.id)
    upcoming, past = supplies_by_date(household, allocated)
    return render_template("household/home.html", household=household, team=household.village.team,
                           declarations=declarations, allocated=allocated, upcoming=upcoming, past=past, to_bring=still_to_bring(household.id),
                           adoptions=adoptions.published_adoptions_of_household(household.id),
                           figures=year_figures(household, utcnow()),
                           contracts=[plain_words(c, current_app.config["COUNTY_NAME"])
                                      for c in contract_progress.contracts_of_household(household.id)])
