"""organizer accounts, their roles and the subforums a scoped account sees

Revision ID: 0010_accounts
Revises: 0009_one_slug_length
Create Date: 2026-12-03 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import wuzhen_events.db


# revision identifiers, used by Alembic.
revision = '0010_accounts'
down_revision = '0009_one_slug_length'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('admin', 'organizer', 'subforum_host', 'checkin_staff', 'viewer', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('login_epoch', sa.Integer(), nullable=False),
    sa.Column('last_login_at', wuzhen_events.db.UTCDateTime(), nullable=True),
    sa.Column('password_changed_at', wuzhen_events.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', wuzhen_events.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', wuzhen_events.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_accounts_email'))
    )
    op.create_table('account_subforums',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('subforum_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_subforums_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subforum_id'], ['subforums.id'], name=op.f('fk_account_subforums_subforum_id_subforums'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'subforum_id', name=op.f('pk_account_subforums'))
    )


def downgrade():
    op.drop_table('account_subforums')
    op.drop_table('accounts')
