"""organizers' e-mails to delegates: campaigns, the outbox messages each queued, bulk messages

Revision ID: 0012_campaigns
Revises: 0011_frab_guids
Create Date: 2026-12-03 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import wuzhen_events.db


# revision identifiers, used by Alembic.
revision = '0012_campaigns'
down_revision = '0011_frab_guids'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bulk', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('subject_zh', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('recipient_filter', sa.JSON(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', wuzhen_events.db.UTCDateTime(), nullable=False),
    sa.Column('queued_at', wuzhen_events.db.UTCDateTime(), nullable=True),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_campaigns_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['accounts.id'], name=op.f('fk_campaigns_created_by_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_campaigns_idempotency_key'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_created_by'), ['created_by'], unique=False)

    op.create_table('campaign_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_messages_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], name=op.f('fk_campaign_messages_delegate_id_delegates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_campaign_messages_outbox_message_id_outbox_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_messages')),
    sa.UniqueConstraint('campaign_id', 'email', name=op.f('uq_campaign_messages_campaign_id_email')),
    sa.UniqueConstraint('outbox_message_id', name=op.f('uq_campaign_messages_outbox_message_id'))
    )
    with op.batch_alter_table('campaign_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_messages_delegate_id'), ['delegate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('campaign_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_messages_delegate_id'))

    op.drop_table('campaign_messages')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_created_by'))
        batch_op.drop_index(batch_op.f('ix_campaigns_conference_id'))

    op.drop_table('campaigns')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('bulk')
