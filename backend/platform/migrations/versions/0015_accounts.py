"""accounts: a forced password change, and the organisation unit of each audit entry

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 06:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_code', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_org_code'), ['org_code'], unique=False)
    # Entries written before: the acting user's unit where the actor is a user; else the top
    # (only users of the top unit read them).
    op.execute("UPDATE audit_log SET org_code = (SELECT users.org_code FROM users "
               "WHERE users.username = audit_log.actor)")


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_org_code'))
        batch_op.drop_column('org_code')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
