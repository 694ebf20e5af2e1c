"""sealed birth dates: residents' birth dates kept AES-GCM sealed, in rows and in JSON copies

With the community's region code and the mask's last character, a clear birth date beside the
masked number left only tens of possible ID numbers. The resident row's date moves to
``birth_sealed``; the copies in kept register versions, pending imports and register changes
waiting for stations hold ``sealed:<base64url>`` in place of the ISO date. The data key is the
platform's (``keys/data.key``), handed to the migration by the platform's start-up.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 06:10:00
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from backend.shared.migrations import sealing_protector
from backend.shared.privacy import SEALED_PREFIX

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

residents = sa.table("residents", sa.column("id", sa.BigInteger), sa.column("birth_date", sa.Date),
                     sa.column("birth_sealed", sa.LargeBinary))
JSON_ROWS = [sa.table(name, sa.column("id"), sa.column("rows", sa.JSON))
             for name in ("register_imports", "register_versions")]
changes = sa.table("changes", sa.column("cursor", sa.BigInteger), sa.column("kind", sa.String),
                   sa.column("payload", sa.JSON))


def upgrade() -> None:
    op.add_column('residents', sa.Column('birth_sealed', sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    protector = None
    found = connection.execute(sa.select(residents.c.id, residents.c.birth_date)).all()
    for row_id, born in found:
        protector = protector or sealing_protector()
        connection.execute(residents.update().where(residents.c.id == row_id)
                           .values(birth_sealed=protector.seal_date(_as_date(born))))
    for table in JSON_ROWS:
        for row_id, rows in connection.execute(sa.select(table.c.id, table.c.rows)).all():
            protector = protector or sealing_protector()
            sealed = [_sealed_row(protector, row) for row in rows or []]
            connection.execute(table.update().where(table.c.id == row_id).values(rows=sealed))
    register = sa.select(changes.c.cursor, changes.c.payload).where(changes.c.kind == "register")
    for cursor, payload in connection.execute(register).all():
        protector = protector or sealing_protector()
        connection.execute(changes.update().where(changes.c.cursor == cursor)
                           .values(payload=_sealed_row(protector, payload)))
    with op.batch_alter_table('residents') as batch_op:
        batch_op.alter_column('birth_sealed', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('birth_date')


def downgrade() -> None:
    op.add_column('residents', sa.Column('birth_date', sa.Date(), nullable=True))
    connection = op.get_bind()
    found = connection.execute(sa.select(residents.c.id, residents.c.birth_sealed)).all()
    if found:
        protector = sealing_protector()
        for row_id, sealed in found:
            connection.execute(residents.update().where(residents.c.id == row_id)
                               .values(birth_date=protector.open_date(sealed)))
    for table in JSON_ROWS:
        for row_id, rows in connection.execute(sa.select(table.c.id, table.c.rows)).all():
            opened = [_opened_row(sealing_protector(), row) for row in rows or []]
            connection.execute(table.update().where(table.c.id == row_id).values(rows=opened))
    register = sa.select(changes.c.cursor, changes.c.payload).where(changes.c.kind == "register")
    for cursor, payload in connection.execute(register).all():
        connection.execute(changes.update().where(changes.c.cursor == cursor)
                           .values(payload=_opened_row(sealing_protector(), payload)))
    with op.batch_alter_table('residents') as batch_op:
        batch_op.alter_column('birth_date', existing_type=sa.Date(), nullable=False)
        batch_op.drop_column('birth_sealed')


def _sealed_row(protector: Any, row: dict[str, Any]) -> dict[str, Any]:
    born = row.get("birth_date")
    if not isinstance(born, str) or born.startswith(SEALED_PREFIX):
        return row
    return row | {"birth_date": protector.seal_date_text(date.fromisoformat(born))}


def _opened_row(protector: Any, row: dict[str, Any]) -> dict[str, Any]:
    born = row.get("birth_date")
    if not isinstance(born, str) or not born.startswith(SEALED_PREFIX):
        return row
    return row | {"birth_date": protector.open_date_text(born).isoformat()}


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
