"""Changes for stations, read by cursor.

Cursors are numbered from one counter row, locked by the UPDATE that advances it until the
transaction commits; so on PostgreSQL transactions publish in cursor order and a station that
has read up to cursor N never finds N-1 appearing later. (On SQLite the write lock does this.)
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from backend.shared.privacy import SEALED_PREFIX
from backend.shared.protocol import Change, ChangeKind, ChangesPage
from backend.shared.sealed import protector_of

from ..db.area_models import ChangeCounter, ChangeRecord, KeyValue, Station

DISTRICT = "district"


def community_scope(code: str) -> str:
    return f"community:{code}"


def station_scope(station_id: str) -> str:
    return f"station:{station_id}"


def publish(session: Session, *, kind: ChangeKind, scope: str, key: str, payload: dict[str, Any],
            now: datetime, supersede: bool = False) -> int:
    """Add a change inside the caller's transaction and return its cursor.

    ``supersede``: the change replaces earlier ones of the same kind, scope and key (the trust
    list, the catalog, a resident's entry), which are deleted — a station behind them gets only
    the latest, and the table does not grow with every enrolment.
    """
    if supersede:
        session.execute(delete(ChangeRecord).where(ChangeRecord.kind == kind.value,
                                                   ChangeRecord.scope == scope, ChangeRecord.key == key))
    cursor = session.execute(update(ChangeCounter).where(ChangeCounter.id == 1)
                             .values(value=ChangeCounter.value + 1)
                             .returning(ChangeCounter.value)).scalar_one()
    session.add(ChangeRecord(cursor=cursor, kind=kind.value, scope=scope, key=key, payload=payload,
                             created_at=now))
    return int(cursor)


def publish_if_changed(session: Session, *, kind: ChangeKind, key: str, payload: dict[str, Any],
                       now: datetime) -> int | None:
    """Publish ``payload`` to every station (superseding the last one under ``key``) unless it is
    what was published last; return the change's cursor, or None when nothing changed."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    stored = session.get(KeyValue, key)
    if stored is not None and stored.value.get("digest") == digest:
        return None
    if stored is None:
        session.add(KeyValue(key=key, value={"digest": digest}))
    else:
        stored.value = {"digest": digest}
    return publish(session, kind=kind, scope=DISTRICT, key=key, payload=payload, now=now, supersede=True)


def scopes_of(station: Station) -> list[str]:
    """The scopes a station reads: the district, its community, itself."""
    return [DISTRICT, community_scope(station.community_code), station_scope(station.id)]


def page(session: Session, *, station: Station, after: int, limit: int) -> ChangesPage:
    """Return the station's changes after a cursor, oldest first."""
    # Read first: every change numbered up to here is committed, so the query below sees it.
    published = latest_cursor(session)
    rows = list(session.scalars(
        select(ChangeRecord).where(ChangeRecord.cursor > after,
                                   or_(*[ChangeRecord.scope == s for s in scopes_of(station)]))
        .order_by(ChangeRecord.cursor).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [Change(cursor=r.cursor, kind=ChangeKind(r.kind), scope=r.scope, key=r.key,
                      payload=_as_sent(session, r), created_at=r.created_at) for r in rows]
    # Past every change the station may see, so it does not read others' changes again.
    last = rows[-1].cursor if rows else after
    if not more:
        last = max(last, published)
    return ChangesPage(changes=changes, next_cursor=last, more=more)


def _as_sent(session: Session, record: ChangeRecord) -> dict[str, Any]:
    """A register entry's birth date is stored sealed (see register._publish); the station gets
    it open, over the signed and encrypted sync channel, and seals it again with its own key."""
    payload: dict[str, Any] = record.payload
    born = payload.get("birth_date") if record.kind == ChangeKind.REGISTER.value else None
    if not (isinstance(born, str) and born.startswith(SEALED_PREFIX)):
        return payload
    return payload | {"birth_date": protector_of(session).open_date_text(born).isoformat()}


def latest_cursor(session: Session) -> int:
    return int(session.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0)
