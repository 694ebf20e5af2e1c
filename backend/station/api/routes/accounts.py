"""Open property accounts (信酬制) at the kiosk: which compounds publish, and their months for
the compound's owners (``session_id`` of an identified session).

    GET  /api/accounts                            which compounds publish (anyone)
    GET  /api/accounts/{compound}?session_id=     the months (owners only: accounts.not_owner)
    GET  /api/accounts/{compound}/{month}?session_id=   totals, bars, entries, balance, statement
    POST /api/accounts/{compound}/{month}/print   {session_id}: print the statement
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from devices.printer.document import Cut, Document, Feed, Text, Title

from ...runtime import StationRuntime
from ...services import community_accounts as accounts
from ..deps import RuntimeDep
from ..printing import print_document
from ..residents import identified
from .community_common import SessionBody

router = APIRouter(tags=["community"])


@router.get("/api/accounts")
def accounts_published(runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Which compounds of the community publish their accounts (anyone may know this)."""
    with runtime.db() as session:
        return accounts.publishing(session, community_code=runtime.community.code)


def _owner(runtime: StationRuntime, session_id: str, compound: str) -> None:
    identity = identified(runtime, session_id)
    with runtime.db() as session:
        accounts.owner_compound(
            session,
            identity,
            community_code=runtime.community.code,
            protector=runtime.keys.protector,
            compound_code=compound,
        )


@router.get("/api/accounts/{compound}")
def accounts_months(
    compound: str, runtime: RuntimeDep, session_id: str = Query(min_length=8, max_length=64)
) -> list[dict[str, Any]]:
    """The compound's published months with their totals (owners in the compound only)."""
    _owner(runtime, session_id, compound)
    with runtime.db() as session:
        return accounts.months(session, compound)


@router.get("/api/accounts/{compound}/{month}")
def accounts_month(
    compound: str, month: str, runtime: RuntimeDep, session_id: str = Query(min_length=8, max_length=64)
) -> dict[str, Any]:
    """A month: totals by category (with a bar length 0–20), entries, balance, statement lines."""
    _owner(runtime, session_id, compound)
    with runtime.db() as session:
        return accounts.month(session, compound, month)


@router.post("/api/accounts/{compound}/{month}/print")
async def print_statement(
    compound: str, month: str, body: SessionBody, runtime: RuntimeDep
) -> dict[str, Any]:
    """Print the month's statement for the owner."""
    shown = accounts_month(compound, month, runtime, body.session_id)
    document = Document.of(
        Title("小区收支公开"), *[Text(line) for line in shown["statement"]], Feed(2), Cut()
    )
    await print_document(runtime, document, kind="accounts_statement")
    return {"printed": True, "month": month}
