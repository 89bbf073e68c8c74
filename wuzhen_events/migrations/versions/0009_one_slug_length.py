"""every slug column holds the one slug length (routing.SLUG_LIMIT, 120 characters)

Revision ID: 0009_one_slug_length
Revises: 0008_audit_trail
Create Date: 2026-12-03 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_one_slug_length'
down_revision = '0008_audit_trail'
branch_labels = None
depends_on = None

# The widths before this revision; the ones already at 120 (speakers, exhibitors) stay as they are.
# Written out rather than imported: a migration must keep meaning what it meant when written.
NARROWER = {'conferences': 40, 'venues': 80, 'topics': 80, 'subforums': 80}
SLUG_LENGTH = 120


def upgrade():
    for table, width in NARROWER.items():
        _resize(table, width, SLUG_LENGTH)


def downgrade():
    # A slug longer than the old width would be cut or refused: the downgrade refuses to lose it.
    connection = op.get_bind()
    for table, width in NARROWER.items():
        longest = connection.execute(
            sa.text(f'SELECT max(length(slug)) FROM {table}')
        ).scalar()
        if longest is not None and longest > width:
            raise RuntimeError(
                f'{table} holds a slug of {longest} characters; the older schema allows {width}. '
                'Shorten it before downgrading.'
            )
    for table, width in NARROWER.items():
        _resize(table, SLUG_LENGTH, width)


def _resize(table, old, new):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column(
            'slug',
            existing_type=sa.String(length=old),
            type_=sa.String(length=new),
            existing_nullable=False,
        )
