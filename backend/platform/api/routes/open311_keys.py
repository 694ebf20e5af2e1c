"""Api keys for Open311 clients, issued by staff for a unit they may see: the key is shown once
and stored as a hash; revoked keys are refused by /open311/v2 like forged ones."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.api_params import RowId
from backend.shared.errors import FORBIDDEN, AppError

from ...db.session import write_transaction
from ...services import audit
from ...services.tickets import apikeys
from ...services.tickets.access import Actor
from ...services.tickets.tree import TicketTree
from ..deps import RuntimeDep, StaffDep

router = APIRouter(prefix="/api/staff/open311/keys", tags=["open311"])


class NewKey(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9_.\- ]{2,64}$")
    org_code: str = Field(min_length=1, max_length=32)


@router.post("", status_code=201)
def issue_key(body: NewKey, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Issue a key for a client acting for a unit (shown once: store it now)."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        tree = TicketTree(session)
        actor = Actor.of_staff(staff, tree)
        if not tree.is_within(body.org_code, actor.unit_path):
            raise AppError(FORBIDDEN, detail=body.org_code)
        key, row = apikeys.issue(session, name=body.name, org_code=body.org_code, by=staff.username, now=now)
        audit.record(session, actor=staff.username, action="open311.key_issued",
                     target=f"open311_key:{row.id}", at=now,
                     detail={"name": body.name, "org_code": body.org_code})
        return apikeys.view(row) | {"api_key": key}


@router.get("")
def list_keys(staff: StaffDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The keys of the units the user may see (never the keys themselves)."""
    with runtime.db() as session:
        tree = TicketTree(session)
        actor = Actor.of_staff(staff, tree)
        return apikeys.listing(session, tree.codes_under(actor.unit_path))


@router.delete("/{key_id}")
def revoke_key(key_id: RowId, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Revoke a key; clients using it are refused from now on."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        tree = TicketTree(session)
        actor = Actor.of_staff(staff, tree)
        row = apikeys.revoke(session, key_id=key_id, units=tree.codes_under(actor.unit_path), now=now)
        audit.record(session, actor=staff.username, action="open311.key_revoked",
                     target=f"open311_key:{row.id}", at=now)
        return apikeys.view(row)
