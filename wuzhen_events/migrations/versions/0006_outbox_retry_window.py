"""outbox: a retry window from the first failure, and when a message was given up

Revision ID: 0006_outbox_retry_window
Revises: 0005_verify_erase_restrict
Create Date: 2026-12-10 09:00:00.000000

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa

import wuzhen_events.db


# revision identifiers, used by Alembic.
revision = '0006_outbox_retry_window'
down_revision = '0005_verify_erase_restrict'
branch_labels = None
depends_on = None

# The sender of 0005 claimed a batch by moving next_attempt_at this far ahead and left it there
# when it gave a message up, so a failed row's next_attempt_at minus this is when it failed.
CLAIM_LEASE_OF_0005 = timedelta(minutes=15)


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_failed_at', wuzhen_events.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_at', wuzhen_events.db.UTCDateTime(), nullable=True))

    # Messages given up before this revision (an outage of more than two hours gave up every
    # one) keep the time they failed, so `flask mail requeue --since` finds them. Pending rows
    # keep first_failed_at empty: their window starts at their next failure.
    outbox = sa.table(
        'outbox_messages',
        sa.column('id', sa.Integer),
        sa.column('status', sa.String),
        sa.column('next_attempt_at', wuzhen_events.db.UTCDateTime()),
        sa.column('failed_at', wuzhen_events.db.UTCDateTime()),
    )
    bind = op.get_bind()
    failed = bind.execute(
        sa.select(outbox.c.id, outbox.c.next_attempt_at).where(outbox.c.status == 'failed')
    ).all()
    if failed:
        bind.execute(
            sa.update(outbox)
            .where(outbox.c.id == sa.bindparam('failed_id'))
            .values(failed_at=sa.bindparam('gave_up_at')),
            [
                {'failed_id': row.id, 'gave_up_at': row.next_attempt_at - CLAIM_LEASE_OF_0005}
                for row in failed
            ],
        )


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('failed_at')
        batch_op.drop_column('first_failed_at')
