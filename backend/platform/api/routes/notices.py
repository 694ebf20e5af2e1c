"""Notices shown on the kiosks of a community (or the whole district)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.errors import FORBIDDEN, AppError

from ...db.session import write_transaction
from ...services import audit, changes, publishing
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/notices", tags=["notices"])


class NoticeBody(BaseModel):
    community_code: str | None = Field(None, description="None: every station of the district")
    title: dict[str, str]
    body: dict[str, str]


@router.post("", status_code=201)
def publish_notice(body: NoticeBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Publish a notice to stations."""
    visible.staff.require("notices")
    if body.community_code is None:
        visible.staff.require("register")  # district-wide: administrators only
        scope = changes.DISTRICT
    elif body.community_code in visible.communities:
        scope = changes.community_scope(body.community_code)
    else:
        raise AppError(FORBIDDEN, detail=body.community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        notice = publishing.publish_notice(session, scope=scope, title=body.title, body=body.body,
                                           by=visible.staff.username, now=now)
        audit.record(session, actor=visible.staff.username, action="notice.publish", target=scope,
                     at=now, detail={"notice_id": notice.id})
        return {"id": notice.id, "scope": scope}
