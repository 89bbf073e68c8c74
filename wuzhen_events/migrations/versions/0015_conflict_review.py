"""conflict review: an organizer marks a flagged offline scan as checked, with a note

Revision ID: 0015_conflict_review
Revises: 0014_checkin
Create Date: 2026-12-04 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import wuzhen_events.db


# revision identifiers, used by Alembic.
revision = '0015_conflict_review'
down_revision = '0014_checkin'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('conflict_reviewed_at', wuzhen_events.db.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column('conflict_reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('conflict_note', sa.String(length=500), nullable=False, server_default='')
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_scans_conflict_reviewed_by_id_accounts'),
            'accounts',
            ['conflict_reviewed_by_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_scans_conflict_reviewed_by_id_accounts'), type_='foreignkey'
        )
        batch_op.drop_column('conflict_note')
        batch_op.drop_column('conflict_reviewed_by_id')
        batch_op.drop_column('conflict_reviewed_at')
