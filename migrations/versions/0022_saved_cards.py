"""cards saved with Stripe and charged at close: a unit's Stripe customer and saved cards, the card
payment's saved card, attempt and deadline to act, a campaign's days to act on a failed charge

Revision ID: 0022_saved_cards
Revises: 0019_stored_figures
Create Date: 2026-12-07 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_saved_cards'
down_revision = '0021_money_documents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_card',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('payment_method_id', sa.String(length=80), nullable=False),
        sa.Column('brand', sa.String(length=20), nullable=False),
        sa.Column('last4', sa.String(length=4), nullable=False),
        sa.Column('exp_month', sa.Integer(), nullable=False),
        sa.Column('exp_year', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('removed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['unit_id'], ['partner_unit.id'], name=op.f('fk_saved_card_unit_id_partner_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_card')),
        sa.UniqueConstraint('unit_id', 'payment_method_id', name=op.f('uq_saved_card_unit_id')),
    )
    with op.batch_alter_table('saved_card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_card_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('partner_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stripe_customer_id', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_partner_unit_stripe_customer_id'), ['stripe_customer_id'])
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_grace_days', sa.Integer(), nullable=False, server_default='3'))
    with op.batch_alter_table('card_payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('saved_card_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('action_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_index(batch_op.f('ix_card_payment_saved_card_id'), ['saved_card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_payment_action_due_at'), ['action_due_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_card_payment_saved_card_id_saved_card'), 'saved_card',
                                    ['saved_card_id'], ['id'])


def downgrade():
    with op.batch_alter_table('card_payment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_card_payment_saved_card_id_saved_card'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_card_payment_action_due_at'))
        batch_op.drop_index(batch_op.f('ix_card_payment_saved_card_id'))
        batch_op.drop_column('attempt')
        batch_op.drop_column('action_due_at')
        batch_op.drop_column('saved_card_id')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('card_grace_days')
    with op.batch_alter_table('partner_unit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_partner_unit_stripe_customer_id'), type_='unique')
        batch_op.drop_column('stripe_customer_id')
    with op.batch_alter_table('saved_card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_card_unit_id'))
    op.drop_table('saved_card')
