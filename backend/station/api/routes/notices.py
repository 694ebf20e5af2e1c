"""Community notices from the platform, for the kiosk's attract and notices screens (works offline)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from ...db.models import StationNotice
from ..deps import DbDep

router = APIRouter(tags=["notices"])


@router.get("/api/notices")
def notices(db_sessions: DbDep, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[dict[str, Any]]:
    """The newest notices first: {id, title{zh,en}, body{zh,en}, at}."""
    with db_sessions() as db:
        rows = db.scalars(select(StationNotice).order_by(StationNotice.updated_at.desc())
                          .limit(min(max(limit, 1), 100))).all()
    return [{"id": row.id, "title": row.payload.get("title", {}), "body": row.payload.get("body", {}),
             "at": row.payload.get("at", row.updated_at.isoformat())} for row in rows]
