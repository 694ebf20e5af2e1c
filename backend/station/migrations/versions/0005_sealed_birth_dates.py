"""sealed birth dates: a resident's birth date is kept AES-GCM sealed, never in clear

With the community's region code and the mask's last character, a clear birth date beside the
masked number left only tens of possible ID numbers. The data key is the station's own
(``keys/data.key``), handed to the migration by the code that runs it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 06:00:00
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

from backend.shared.migrations import sealing_protector

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

residents = sa.table("residents", sa.column("id", sa.Integer), sa.column("birth_date", sa.Date),
                     sa.column("birth_sealed", sa.LargeBinary))


def upgrade() -> None:
    with op.batch_alter_table('residents') as batch_op:
        batch_op.add_column(sa.Column('birth_sealed', sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(residents.c.id, residents.c.birth_date)).all()
    if rows:
        protector = sealing_protector()
        for row_id, born in rows:
            connection.execute(residents.update().where(residents.c.id == row_id)
                               .values(birth_sealed=protector.seal_date(_as_date(born))))
    with op.batch_alter_table('residents') as batch_op:
        batch_op.alter_column('birth_sealed', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('birth_date')


def downgrade() -> None:
    with op.batch_alter_table('residents') as batch_op:
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(residents.c.id, residents.c.birth_sealed)).all()
    if rows:
        protector = sealing_protector()
        for row_id, sealed in rows:
            connection.execute(residents.update().where(residents.c.id == row_id)
                               .values(birth_date=protector.open_date(sealed)))
    with op.batch_alter_table('residents') as batch_op:
        batch_op.alter_column('birth_date', existing_type=sa.Date(), nullable=False)
        batch_op.drop_column('birth_sealed')


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
