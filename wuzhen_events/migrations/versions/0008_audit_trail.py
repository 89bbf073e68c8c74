"""the audit trail: who changed what, when, before and after

Revision ID: 0008_audit_trail
Revises: 0007_fallback_hashes
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import wuzhen_events.db


# revision identifiers, used by Alembic.
revision = '0008_audit_trail'
down_revision = '0007_fallback_hashes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', wuzhen_events.db.UTCDateTime(), nullable=False),
    sa.Column('actor_kind', sa.Enum('organizer', 'cli', 'delegate', 'public', 'system', name='actorkind', native_enum=False, length=32), nullable=False),
    sa.Column('actor_id', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_delegate_id'), ['delegate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_delegate_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index('ix_audit_entries_object')

    op.drop_table('audit_entries')
