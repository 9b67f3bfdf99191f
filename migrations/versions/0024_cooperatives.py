"""cooperatives and their members and declarations, purchase contracts with a floor price, box ratings
and sanctions (the integrity record's own facts), what each collection record was to bring; the
cooperative role; cooperative fees in the ledger; declarations and payment lines citing their contract

Revision ID: 0024_cooperatives
Revises: 0019_stored_figures
Create Date: 2026-12-07 22:46:06.302432

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_cooperatives'
down_revision = '0023_ledger_rollup'
branch_labels = None
depends_on = None

OLD_ROLE = "role in ('county', 'partner', 'team', 'household', 'staff')"
NEW_ROLE = "role in ('county', 'partner', 'team', 'household', 'staff', 'cooperative')"
OLD_SCOPE = ("(role = 'team') = (work_team_id IS NOT NULL) AND (role = 'partner') = (partner_unit_id IS NOT NULL) AND (role = 'household') = (household_id IS NOT NULL)")
NEW_SCOPE = OLD_SCOPE + " AND (role = 'cooperative') = (cooperative_id IS NOT NULL)"
OLD_ACCOUNTS = ("account in ('bank', 'unit_funds', 'household_payable', 'produce_cost', 'hosting_cost', 'logistics_cost', 'packaging_cost')")
NEW_ACCOUNTS = OLD_ACCOUNTS[:-1] + ", 'cooperative_payable')"
COOPERATIVE_NAMED = "account <> 'cooperative_payable' OR cooperative_id IS NOT NULL"


def upgrade():
    op.create_table('cooperative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('legal_person', sa.String(length=40), nullable=False),
    sa.Column('licence_number', sa.String(length=40), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('bank_account', sa.String(length=255), nullable=True),
    sa.Column('bank_account_last4', sa.String(length=4), nullable=False),
    sa.Column('fee_kind', sa.String(length=10), nullable=False),
    sa.Column('fee_value', sa.Integer(), nullable=False),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("fee_kind in ('none', 'percent', 'per_unit')", name=op.f('ck_cooperative_fee_kind_known')),
    sa.CheckConstraint("kind in ('cooperative', 'shop', 'family_farm')", name=op.f('ck_cooperative_kind_known')),
    sa.CheckConstraint('fee_value >= 0', name=op.f('ck_cooperative_fee_not_negative')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_cooperative_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperative')),
    sa.UniqueConstraint('licence_number', name=op.f('uq_cooperative_licence_number')),
    sa.UniqueConstraint('name', name=op.f('uq_cooperative_name'))
    )
    with op.batch_alter_table('cooperative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperative_township_id'), ['township_id'], unique=False)

    op.create_table('cooperative_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('shares', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('shares >= 1', name=op.f('ck_cooperative_member_shares_positive')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_cooperative_member_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_cooperative_member_household_id_household')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperative_member')),
    sa.UniqueConstraint('household_id', name=op.f('uq_cooperative_member_household_id'))
    )
    with op.batch_alter_table('cooperative_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperative_member_cooperative_id'), ['cooperative_id'], unique=False)

    op.create_table('purchase_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('season', sa.String(length=40), nullable=False),
    sa.Column('min_units', sa.Integer(), nullable=False),
    sa.Column('max_units', sa.Integer(), nullable=False),
    sa.Column('every_days', sa.Integer(), nullable=True),
    sa.Column('units_each_time', sa.Integer(), nullable=True),
    sa.Column('floor_price_fen', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('delivery_place', sa.String(length=120), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('scan', sa.String(length=80), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("state in ('draft', 'signed', 'active', 'fulfilled', 'ended')", name=op.f('ck_purchase_contract_state_known')),
    sa.CheckConstraint('(household_id IS NULL) <> (cooperative_id IS NULL)', name=op.f('ck_purchase_contract_one_seller')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_purchase_contract_term_ordered')),
    sa.CheckConstraint('floor_price_fen > 0', name=op.f('ck_purchase_contract_floor_positive')),
    sa.CheckConstraint('min_units >= 0 AND max_units >= min_units', name=op.f('ck_purchase_contract_quantity_range')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_purchase_contract_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_purchase_contract_created_by_id_user')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_purchase_contract_household_id_household')),
    sa.ForeignKeyConstraint(['item_id'], ['produce_item.id'], name=op.f('fk_purchase_contract_item_id_produce_item')),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_unit.id'], name=op.f('fk_purchase_contract_unit_id_partner_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_contract')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_contract_number'))
    )
    with op.batch_alter_table('purchase_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_contract_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_contract_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_contract_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_contract_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_contract_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_contract_unit_id'), ['unit_id'], unique=False)

    op.create_table('sanction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=False),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'cooperative_suspended') = (cooperative_id IS NOT NULL)", name=op.f('ck_sanction_cooperative_named')),
    sa.CheckConstraint("(kind = 'household_paused') = (household_id IS NOT NULL AND item_id IS NOT NULL)", name=op.f('ck_sanction_household_item_named')),
    sa.CheckConstraint("kind in ('cooperative_suspended', 'household_paused')", name=op.f('ck_sanction_kind_known')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_sanction_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_sanction_decided_by_id_user')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_sanction_household_id_household')),
    sa.ForeignKeyConstraint(['item_id'], ['produce_item.id'], name=op.f('fk_sanction_item_id_produce_item')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['user.id'], name=op.f('fk_sanction_lifted_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sanction'))
    )
    with op.batch_alter_table('sanction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanction_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sanction_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sanction_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sanction_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sanction_lifted_by_id'), ['lifted_by_id'], unique=False)

    op.create_table('cooperative_declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('units > 0', name=op.f('ck_cooperative_declaration_units_positive')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_cooperative_declaration_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['contract_id'], ['purchase_contract.id'], name=op.f('fk_cooperative_declaration_contract_id_purchase_contract')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_cooperative_declaration_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['item_id'], ['produce_item.id'], name=op.f('fk_cooperative_declaration_item_id_produce_item')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_cooperative_declaration_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperative_declaration')),
    sa.UniqueConstraint('cooperative_id', 'campaign_id', 'item_id', name='uq_cooperative_declaration')
    )
    with op.batch_alter_table('cooperative_declaration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperative_declaration_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperative_declaration_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperative_declaration_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperative_declaration_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperative_declaration_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('box_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rated_by_id', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('stars >= 1 AND stars <= 5', name=op.f('ck_box_rating_stars_range')),
    sa.ForeignKeyConstraint(['box_id'], ['box.id'], name=op.f('fk_box_rating_box_id_box')),
    sa.ForeignKeyConstraint(['rated_by_id'], ['user.id'], name=op.f('fk_box_rating_rated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_box_rating')),
    sa.UniqueConstraint('box_id', name=op.f('uq_box_rating_box_id'))
    )
    with op.batch_alter_table('box_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_box_rating_rated_by_id'), ['rated_by_id'], unique=False)

    with op.batch_alter_table('capacity_declaration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cooperative_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contract_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_capacity_declaration_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_declaration_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_capacity_declaration_contract_id_purchase_contract'), 'purchase_contract', ['contract_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_capacity_declaration_cooperative_id_cooperative'), 'cooperative', ['cooperative_id'], ['id'])

    with op.batch_alter_table('collection_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('units_allocated', sa.Integer(), nullable=True))

    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cooperative_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_ledger_entry_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_ledger_entry_cooperative_id_cooperative'), 'cooperative', ['cooperative_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_ledger_entry_account_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_ledger_entry_account_known'), NEW_ACCOUNTS)
        batch_op.create_check_constraint(op.f('ck_ledger_entry_cooperative_payable_named'), COOPERATIVE_NAMED)

    with op.batch_alter_table('ledger_transaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cooperative_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_ledger_transaction_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_transaction_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_ledger_transaction_contract_id_purchase_contract'), 'purchase_contract', ['contract_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_ledger_transaction_cooperative_id_cooperative'), 'cooperative', ['cooperative_id'], ['id'])

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cooperative_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_cooperative_id_cooperative'), 'cooperative', ['cooperative_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_user_role_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_user_role_scope'), type_='check')
        batch_op.create_check_constraint(op.f('ck_user_role_known'), NEW_ROLE)
        batch_op.create_check_constraint(op.f('ck_user_role_scope'), NEW_SCOPE)



def downgrade():
    op.execute("DELETE FROM \"user\" WHERE role = 'cooperative'")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_role_scope'), type_='check')
        batch_op.drop_constraint(op.f('ck_user_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_user_role_known'), OLD_ROLE)
        batch_op.create_check_constraint(op.f('ck_user_role_scope'), OLD_SCOPE)
        batch_op.drop_constraint(batch_op.f('fk_user_cooperative_id_cooperative'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_cooperative_id'))
        batch_op.drop_column('cooperative_id')

    with op.batch_alter_table('ledger_transaction', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ledger_transaction_cooperative_id_cooperative'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ledger_transaction_contract_id_purchase_contract'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_ledger_transaction_cooperative_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_transaction_contract_id'))
        batch_op.drop_column('cooperative_id')
        batch_op.drop_column('contract_id')

    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_ledger_entry_cooperative_payable_named'), type_='check')
        batch_op.drop_constraint(op.f('ck_ledger_entry_account_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_ledger_entry_account_known'), OLD_ACCOUNTS)
        batch_op.drop_constraint(batch_op.f('fk_ledger_entry_cooperative_id_cooperative'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_ledger_entry_cooperative_id'))
        batch_op.drop_column('cooperative_id')

    with op.batch_alter_table('collection_record', schema=None) as batch_op:
        batch_op.drop_column('units_allocated')

    with op.batch_alter_table('capacity_declaration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_capacity_declaration_cooperative_id_cooperative'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_capacity_declaration_contract_id_purchase_contract'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_capacity_declaration_cooperative_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_declaration_contract_id'))
        batch_op.drop_column('contract_id')
        batch_op.drop_column('cooperative_id')

    with op.batch_alter_table('box_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_box_rating_rated_by_id'))

    op.drop_table('box_rating')
    with op.batch_alter_table('cooperative_declaration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperative_declaration_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_cooperative_declaration_item_id'))
        batch_op.drop_index(batch_op.f('ix_cooperative_declaration_cooperative_id'))
        batch_op.drop_index(batch_op.f('ix_cooperative_declaration_contract_id'))
        batch_op.drop_index(batch_op.f('ix_cooperative_declaration_campaign_id'))

    op.drop_table('cooperative_declaration')
    with op.batch_alter_table('sanction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sanction_lifted_by_id'))
        batch_op.drop_index(batch_op.f('ix_sanction_item_id'))
        batch_op.drop_index(batch_op.f('ix_sanction_household_id'))
        batch_op.drop_index(batch_op.f('ix_sanction_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_sanction_cooperative_id'))

    op.drop_table('sanction')
    with op.batch_alter_table('purchase_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_contract_unit_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_contract_state'))
        batch_op.drop_index(batch_op.f('ix_purchase_contract_item_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_contract_household_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_contract_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_contract_cooperative_id'))

    op.drop_table('purchase_contract')
    with op.batch_alter_table('cooperative_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperative_member_cooperative_id'))

    op.drop_table('cooperative_member')
    with op.batch_alter_table('cooperative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperative_township_id'))

    op.drop_table('cooperative')
