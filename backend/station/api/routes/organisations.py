"""Grassroots organisations (备案) at the kiosk: the approved ones, and a resident's filings.
Calls that concern the resident carry the ``session_id`` of an identified session.

    GET  /api/organisations                       approved ones: what they do, how to join
    GET  /api/organisations/kinds                 what an organisation may be (interest, volunteer…)
    POST /api/organisations                       {session_id, name, kind, phone, members, activities,
                                                  idempotency_key}: a retry returns the same filing
    POST /api/organisations/{id}/slip             {session_id}: print the filing slip
    GET  /api/organisations/mine?session_id=      the resident's filings and their state
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import Field

from devices.printer.document import Cut, Document, Feed, Separator, Text, Title

from ...services import community_organisations as organisations
from ..deps import RuntimeDep
from ..printing import print_document
from ..residents import identified
from .community_common import SessionBody, wake

router = APIRouter(tags=["community"])


class OrganisationBody(SessionBody):
    name: str = Field(min_length=2, max_length=64)
    kind: str = Field(max_length=16, description="interest, volunteer, culture, sport, mutual_aid, other")
    phone: str = Field(max_length=32)
    members: int = Field(ge=1, le=100_000)
    activities: str = Field(min_length=1, max_length=500)
    idempotency_key: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{8,80}$", description="made by the kiosk per filing; a retry keeps it"
    )


@router.get("/api/organisations")
def approved_organisations(runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The community's registered organisations: what they do and how to join."""
    with runtime.db() as session:
        return organisations.approved(session)


@router.get("/api/organisations/kinds")
def organisation_kinds() -> list[dict[str, Any]]:
    """What an organisation may be: interest, volunteer, culture, sport, mutual aid, other."""
    return organisations.kinds()


@router.get("/api/organisations/mine")
def my_filings(
    runtime: RuntimeDep, session_id: str = Query(min_length=8, max_length=64)
) -> list[dict[str, Any]]:
    """The identified resident's filings and where each stands."""
    identity = identified(runtime, session_id)
    with runtime.db() as session:
        return organisations.mine(session, identity)


@router.post("/api/organisations", status_code=201)
def file_organisation(body: OrganisationBody, runtime: RuntimeDep) -> dict[str, Any]:
    """File an organisation, the identified resident as its leader; ``id`` is the application number."""
    identity = identified(runtime, body.session_id)
    result = organisations.file(
        runtime.db,
        identity=identity,
        community_code=runtime.community.code,
        station_code=runtime.station_code,
        sealer=runtime.keys.contact_sealer(),
        name=body.name,
        kind=body.kind,
        phone=body.phone,
        members=body.members,
        activities=body.activities,
        now=runtime.clock.now(),
        idempotency_key=body.idempotency_key,
    )
    wake(runtime)
    return result


@router.post("/api/organisations/{application_no}/slip")
async def print_organisation_slip(
    application_no: str, body: SessionBody, runtime: RuntimeDep
) -> dict[str, Any]:
    """Print the filing slip with its application number (the leader's own filing only)."""
    identity = identified(runtime, body.session_id)
    with runtime.db() as session:
        shown = organisations.get_mine(session, identity, application_no)
    lines = organisations.slip_lines(shown, runtime.settings.station_name_zh)
    document = Document.of(
        Title("社区社会组织备案回执"),
        Text("Organisation filing slip", align="center"),
        Separator(),
        Text(lines[0], bold=True),
        *[Text(line) for line in lines[1:-1]],
        Separator(),
        Text(lines[-1], align="center"),
        Feed(2),
        Cut(),
    )
    await print_document(runtime, document, kind="organisation_slip")
    return shown
