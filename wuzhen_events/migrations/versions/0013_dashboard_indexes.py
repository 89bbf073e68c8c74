"""dashboard indexes: the delegates list, its search and the statistics read indexes, not rows

Revision ID: 0013_dashboard_indexes
Revises: 0012_campaigns
Create Date: 2026-12-04 04:30:00.000000

At 100,000 delegates on PostgreSQL the statistics' counts become index-only scans and the list's
search for three characters or more a trigram index lookup instead of a table scan.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_dashboard_indexes'
down_revision = '0012_campaigns'
branch_labels = None
depends_on = None

SEARCHED_COLUMNS = ('name', 'name_zh', 'email', 'organisation')


def upgrade():
    with op.batch_alter_table('delegates', schema=None) as batch_op:
        batch_op.create_index(
            'ix_delegates_registered', ['conference_id', 'created_at', 'category'], unique=False
        )
        batch_op.create_index(
            'ix_delegates_category_status', ['conference_id', 'category', 'status'], unique=False
        )
        batch_op.create_index(
            'ix_delegates_country_status', ['conference_id', 'country', 'status'], unique=False
        )
    with op.batch_alter_table('seat_bookings', schema=None) as batch_op:
        batch_op.create_index(
            'ix_seat_bookings_subforum_status', ['subforum_id', 'status'], unique=False
        )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public')
        for column in SEARCHED_COLUMNS:
            op.create_index(
                f'ix_delegates_{column}_trigrams',
                'delegates',
                [column],
                postgresql_using='gin',
                postgresql_ops={column: 'public.gin_trgm_ops'},
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for column in reversed(SEARCHED_COLUMNS):
            op.drop_index(f'ix_delegates_{column}_trigrams', table_name='delegates')
    with op.batch_alter_table('seat_bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_seat_bookings_subforum_status')
    with op.batch_alter_table('delegates', schema=None) as batch_op:
        batch_op.drop_index('ix_delegates_country_status')
        batch_op.drop_index('ix_delegates_category_status')
        batch_op.drop_index('ix_delegates_registered')
