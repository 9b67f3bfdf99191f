"""the ledger summed per campaign, account and effective kind for the county's reconciliation (ledger_rollup),
and what each village's households are owed (village_owed_rollup), kept by the refresh-dashboard job beside
the dashboard's summary; both backfilled from the transactions the summary already covers; an index to count
a village's households by tier from the index alone

Revision ID: 0023_ledger_rollup
Revises: 0019_stored_figures
Create Date: 2026-12-07 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_ledger_rollup'
down_revision = '0022_saved_cards'
branch_labels = None
depends_on = None

# courtyard.services.ledger_rollup.add_recorded over everything recorded before the summary's watermark
# (a reversal counts as the kind it reverses: courtyard.services.income.KIND)
BACKFILL = """
INSERT INTO ledger_rollup (campaign_id, account, kind, net_fen, gross_fen)
SELECT e.campaign_id, e.account,
       CASE WHEN t.kind = 'reversal' THEN o.kind ELSE t.kind END,
       SUM(e.amount_fen), SUM(ABS(e.amount_fen))
FROM ledger_entry e
JOIN ledger_transaction t ON t.id = e.transaction_id
LEFT OUTER JOIN ledger_transaction o ON o.id = t.reverses_id
WHERE t.recorded_at < (SELECT summarised_before FROM dashboard_summary_state WHERE id = 1)
GROUP BY e.campaign_id, e.account, CASE WHEN t.kind = 'reversal' THEN o.kind ELSE t.kind END
"""
VILLAGES = """
INSERT INTO village_owed_rollup (village_id, owed_fen)
SELECT h.village_id, -SUM(e.amount_fen)
FROM ledger_entry e
JOIN ledger_transaction t ON t.id = e.transaction_id
JOIN household h ON h.id = e.household_id
WHERE e.account = 'household_payable'
  AND t.recorded_at < (SELECT summarised_before FROM dashboard_summary_state WHERE id = 1)
GROUP BY h.village_id
"""


def upgrade():
    op.create_table(
        'ledger_rollup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('account', sa.String(length=30), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('net_fen', sa.BigInteger(), nullable=False),
        sa.Column('gross_fen', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_ledger_rollup_campaign_id_campaign')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_rollup')),
    )
    with op.batch_alter_table('ledger_rollup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_rollup_campaign_id'), ['campaign_id'], unique=False)
    op.create_table(
        'village_owed_rollup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('owed_fen', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_village_owed_rollup_village_id_village')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_village_owed_rollup')),
        sa.UniqueConstraint('village_id', name=op.f('uq_village_owed_rollup_village_id')),
    )
    op.execute(BACKFILL)
    op.execute(VILLAGES)
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_village_id_active_tier', ['village_id', 'active', 'tier'], unique=False)


def downgrade():
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index('ix_household_village_id_active_tier')
    op.drop_table('village_owed_rollup')
    with op.batch_alter_table('ledger_rollup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_rollup_campaign_id'))
    op.drop_table('ledger_rollup')
