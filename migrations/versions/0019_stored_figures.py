"""figures kept so that no page sums the county: each campaign's progress (packages, money and units
pledged, authorised or paid) on the campaign, backfilled from its pledges; the public figures drawn by
the refresh-dashboard job, with the time they were drawn; an index to count households by tier, one to list the county's pledges newest first

Revision ID: 0019_stored_figures
Revises: 0018_field_changes
Create Date: 2026-12-07 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_stored_figures'
down_revision = '0018_field_changes'
branch_labels = None
depends_on = None

COUNTED = "('authorized', 'paid')"  # courtyard.services.campaigns.campaigns.COUNTED_STATES
BACKFILL = f"""
UPDATE campaign SET
  progress_packages = COALESCE((SELECT SUM(pledge_line.quantity) FROM pledge_line
                                JOIN pledge ON pledge.id = pledge_line.pledge_id
                                WHERE pledge.campaign_id = campaign.id AND pledge.state IN {COUNTED}), 0),
  progress_fen = COALESCE((SELECT SUM(pledge.total_fen - pledge.refunded_fen) FROM pledge
                           WHERE pledge.campaign_id = campaign.id AND pledge.state IN {COUNTED}), 0),
  progress_units = (SELECT COUNT(DISTINCT pledge.unit_id) FROM pledge
                    WHERE pledge.campaign_id = campaign.id AND pledge.state IN {COUNTED})
"""


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_packages', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('progress_fen', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('progress_units', sa.Integer(), nullable=False, server_default='0'))
    op.execute(BACKFILL)
    with op.batch_alter_table('dashboard_summary_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('figures_drawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('raised_fen', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('households_reached', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('income_fen', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_active_tier', ['active', 'tier'], unique=False)
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.create_index('ix_pledge_created_at_id', ['created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.drop_index('ix_pledge_created_at_id')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index('ix_household_active_tier')
    with op.batch_alter_table('dashboard_summary_state', schema=None) as batch_op:
        batch_op.drop_column('income_fen')
        batch_op.drop_column('households_reached')
        batch_op.drop_column('raised_fen')
        batch_op.drop_column('figures_drawn_at')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('progress_units')
        batch_op.drop_column('progress_fen')
        batch_op.drop_column('progress_packages')
