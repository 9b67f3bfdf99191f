"""staff offers (issue 18): a unit's roll of staff with their own accounts (role "staff", signing in by
text code), the offers, each person's choice and its lines; one-time sign-in codes (hashed)

Revision ID: 0020_staff_offers
Revises: 0019_stored_figures
Create Date: 2026-12-07 22:46:07.224288

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_staff_offers'
down_revision = '0019_stored_figures'
branch_labels = None
depends_on = None


OLD_ROLES = "role in ('county', 'partner', 'team', 'household')"
NEW_ROLES = "role in ('county', 'partner', 'team', 'household', 'staff')"


def _roles(check):
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_user_role_known'), check)


def upgrade():
    _roles(NEW_ROLES)
    op.create_table('login_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_code'))
    )
    with op.batch_alter_table('login_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_code_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_code_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_code_phone'), ['phone'], unique=False)

    op.create_table('staff_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_unit.id'], name=op.f('fk_staff_member_unit_id_partner_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_staff_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_member')),
    sa.UniqueConstraint('phone', name=op.f('uq_staff_member_phone')),
    sa.UniqueConstraint('user_id', name=op.f('uq_staff_member_user_id'))
    )
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_member_unit_id'), ['unit_id'], unique=False)

    op.create_table('staff_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('allowance_fen', sa.Integer(), nullable=False),
    sa.Column('per_person_limit', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('deadline_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('pledge_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('allowance_fen >= 0', name=op.f('ck_staff_offer_allowance_not_negative')),
    sa.CheckConstraint('per_person_limit >= 1', name=op.f('ck_staff_offer_limit_positive')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_staff_offer_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], name=op.f('fk_staff_offer_pledge_id_pledge')),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_unit.id'], name=op.f('fk_staff_offer_unit_id_partner_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_offer')),
    sa.UniqueConstraint('token', name=op.f('uq_staff_offer_token'))
    )
    with op.batch_alter_table('staff_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_offer_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_offer_deadline_at'), ['deadline_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_offer_pledge_id'), ['pledge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_offer_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_offer_unit_id'), ['unit_id'], unique=False)

    op.create_table('staff_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['address_id'], ['delivery_address.id'], name=op.f('fk_staff_choice_address_id_delivery_address')),
    sa.ForeignKeyConstraint(['member_id'], ['staff_member.id'], name=op.f('fk_staff_choice_member_id_staff_member')),
    sa.ForeignKeyConstraint(['offer_id'], ['staff_offer.id'], name=op.f('fk_staff_choice_offer_id_staff_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_choice')),
    sa.UniqueConstraint('offer_id', 'member_id', name='one_choice_per_person')
    )
    with op.batch_alter_table('staff_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_choice_address_id'), ['address_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_choice_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_choice_offer_id'), ['offer_id'], unique=False)

    op.create_table('staff_offer_package',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('campaign_package_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_package_id'], ['campaign_package.id'], name=op.f('fk_staff_offer_package_campaign_package_id_campaign_package'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['staff_offer.id'], name=op.f('fk_staff_offer_package_offer_id_staff_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'campaign_package_id', name=op.f('pk_staff_offer_package'))
    )
    with op.batch_alter_table('staff_offer_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_offer_package_campaign_package_id'), ['campaign_package_id'], unique=False)

    op.create_table('staff_offer_point',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['address_id'], ['delivery_address.id'], name=op.f('fk_staff_offer_point_address_id_delivery_address'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['staff_offer.id'], name=op.f('fk_staff_offer_point_offer_id_staff_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'address_id', name=op.f('pk_staff_offer_point'))
    )
    with op.batch_alter_table('staff_offer_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_offer_point_address_id'), ['address_id'], unique=False)

    op.create_table('staff_choice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('choice_id', sa.Integer(), nullable=False),
    sa.Column('campaign_package_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_fen', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_staff_choice_line_quantity_positive')),
    sa.ForeignKeyConstraint(['campaign_package_id'], ['campaign_package.id'], name=op.f('fk_staff_choice_line_campaign_package_id_campaign_package')),
    sa.ForeignKeyConstraint(['choice_id'], ['staff_choice.id'], name=op.f('fk_staff_choice_line_choice_id_staff_choice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_choice_line'))
    )
    with op.batch_alter_table('staff_choice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_choice_line_campaign_package_id'), ['campaign_package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_choice_line_choice_id'), ['choice_id'], unique=False)
    op.create_table('staff_box',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('choice_id', sa.Integer(), nullable=False),
    sa.Column('handed_over_at', sa.DateTime(), nullable=True),
    sa.Column('handed_over_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['box_id'], ['box.id'], name=op.f('fk_staff_box_box_id_box'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['choice_id'], ['staff_choice.id'], name=op.f('fk_staff_box_choice_id_staff_choice')),
    sa.ForeignKeyConstraint(['handed_over_by_id'], ['user.id'], name=op.f('fk_staff_box_handed_over_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_box')),
    sa.UniqueConstraint('box_id', name=op.f('uq_staff_box_box_id'))
    )
    with op.batch_alter_table('staff_box', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_box_choice_id'), ['choice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_box_handed_over_by_id'), ['handed_over_by_id'], unique=False)


def downgrade():
    op.drop_table('staff_box')
    with op.batch_alter_table('staff_choice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_choice_line_choice_id'))
        batch_op.drop_index(batch_op.f('ix_staff_choice_line_campaign_package_id'))

    op.drop_table('staff_choice_line')
    with op.batch_alter_table('staff_offer_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_offer_point_address_id'))

    op.drop_table('staff_offer_point')
    with op.batch_alter_table('staff_offer_package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_offer_package_campaign_package_id'))

    op.drop_table('staff_offer_package')
    with op.batch_alter_table('staff_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_choice_offer_id'))
        batch_op.drop_index(batch_op.f('ix_staff_choice_member_id'))
        batch_op.drop_index(batch_op.f('ix_staff_choice_address_id'))

    op.drop_table('staff_choice')
    with op.batch_alter_table('staff_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_offer_unit_id'))
        batch_op.drop_index(batch_op.f('ix_staff_offer_state'))
        batch_op.drop_index(batch_op.f('ix_staff_offer_pledge_id'))
        batch_op.drop_index(batch_op.f('ix_staff_offer_deadline_at'))
        batch_op.drop_index(batch_op.f('ix_staff_offer_campaign_id'))

    op.drop_table('staff_offer')
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_member_unit_id'))

    op.drop_table('staff_member')
    with op.batch_alter_table('login_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_code_phone'))
        batch_op.drop_index(batch_op.f('ix_login_code_created_at'))
        batch_op.drop_index(batch_op.f('ix_login_code_address'))

    op.drop_table('login_code')
    _roles(OLD_ROLES)
