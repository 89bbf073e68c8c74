"""frab guids: imported sessions and speakers remember the guid a schedule file gave them

Revision ID: 0011_frab_guids
Revises: 0010_accounts
Create Date: 2026-12-03 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_frab_guids'
down_revision = '0010_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('program_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guid', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_program_sessions_conference_id_guid'), ['conference_id', 'guid']
        )
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guid', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_speakers_guid'), ['guid'])


def downgrade():
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_speakers_guid'), type_='unique')
        batch_op.drop_column('guid')
    with op.batch_alter_table('program_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_program_sessions_conference_id_guid'), type_='unique'
        )
        batch_op.drop_column('guid')
