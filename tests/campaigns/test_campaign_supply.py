"""What households declared shows on the campaign pages: supplying villages and packages covered."""

from courtyard.extensions import db
from courtyard.models import CampaignPackage, CapacityDeclaration
from courtyard.models.types import utcnow
from tests.support.campaigns import make_campaign


def test_declared_capacity_shows_villages_and_packages_covered(app, client, make, login_as):
    """With 5 units declared in one village and 2 per package, do the pages name the village and say 2 packages are covered?"""
    campaign = make_campaign(app, around=utcnow())
    village = make.village("柳树村")
    household = make.household(village)
    with app.app_context():
        line = db.session.get(CampaignPackage, campaign.offer_ids[0]).package.lines[0]
        db.session.add(CapacityDeclaration(household_id=household.id, item_id=line.item_id, campaign_id=campaign.id, units=5))
        db.session.commit()
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "柳树村" in page and household.name not in page
    login_as("county")
    page = client.get(f"/county/campaigns/{campaign.id}").get_data(as_text=True)
    assert '<td class="num warn">2</td>' in page and "柳树村" in page
