"""Community life at the kiosk: activities (报名, 签到), open property accounts (信酬制), the compound
council (议事堂) and grassroots organisations (备案). Calls that concern the resident carry the
``session_id`` of an identified session (POST /api/sessions, then the ID card or resident QR).

Activities (the home screen lists them; all work offline):
    GET  /api/activities                          upcoming in this community: places left, full, open
    GET  /api/activities/{id}                     one activity;  GET /api/activities/{id}/image (JPEG)
    POST /api/activities/{id}/signups             {session_id, idempotency_key} → 201 sign-up
                                                  (state confirmed | waiting) and ticket_token (QR)
    POST /api/activities/signups/{id}/slip        {session_id}: print the slip with the ticket QR
    GET  /api/activities/signups?session_id=      the resident's sign-ups and moves up
    POST /api/activities/signups/{id}/cancel      {session_id}: cancel (the ticket stops working)
    POST /api/activities/checkin                  {token}: the scanned ticket, once per ticket
Moves up from the waiting list also appear in the session's ``outcomes`` when the resident identifies.
Accounts:
    GET  /api/accounts                            which compounds publish (anyone)
    GET  /api/accounts/{compound}?session_id=     the months (owners only: accounts.not_owner)
    GET  /api/accounts/{compound}/{month}?session_id=   totals, bars, entries, balance, statement
    POST /api/accounts/{compound}/{month}/print   {session_id}: print the statement
Council:
    GET  /api/council/categories · GET /api/council/proposals[?compound=] · GET /api/council/proposals/{id}
    GET  /api/council/mine?session_id=            the resident's compound and its proposals (supported?)
    POST /api/council/proposals                   {session_id, compound, category, title, text, photo,
                                                  idempotency_key}: a retry returns the same one
    POST /api/council/proposals/{id}/support      {session_id}: once per household
    POST /api/council/proposals/{id}/print        print its status and decision
Organisations:
    GET  /api/organisations                       approved ones: what they do, how to join
    GET  /api/organisations/kinds                 what an organisation may be (interest, volunteer…)
    POST /api/organisations                       {session_id, name, kind, phone, members, activities,
                                                  idempotency_key}: a retry returns the same filing
    POST /api/organisations/{id}/slip             {session_id}: print the filing slip
    GET  /api/organisations/mine?session_id=      the resident's filings and their state
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared.community.errors import BAD_PROPOSAL, SIGNUP_NOT_FOUND
from backend.shared.errors import AppError
from backend.shared.localtime import local_text
from devices.printer.document import Cut, Document, Feed, Qr, Separator, Text, Title

from ...db.community_models import LocalActivity, LocalSignup
from ...runtime import StationRuntime
from ...services import community_accounts as accounts
from ...services import community_activities as activities
from ...services import community_council as council
from ...services import community_organisations as organisations
from ...services.printing import print_slip
from ...services.sessions import SESSION_NOT_IDENTIFIED, Identity
from ..caller import CALLER
from ..deps import RuntimeDep

router = APIRouter(tags=["community"])


class SessionBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=64)


class SignupBody(SessionBody):
    idempotency_key: str = Field(
        pattern=r"^[A-Za-z0-9_-]{8,80}$",
        description="made by the kiosk per sign-up; a retry returns the same one",
    )


class TokenBody(BaseModel):
    token: str = Field(min_length=4, max_length=4096, description="the activity ticket's QR as scanned")


class ProposalBody(SessionBody):
    compound: str = Field(max_length=32)
    category: str = Field(max_length=32)
    title: str = Field(min_length=1, max_length=64)
    text: str = Field("", max_length=2000)
    photo_jpeg_base64: str | None = Field(None, max_length=700_000)
    idempotency_key: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{8,80}$", description="per proposal; a retry returns the same one"
    )


class OrganisationBody(SessionBody):
    name: str = Field(min_length=2, max_length=64)
    kind: str = Field(max_length=16, description="interest, volunteer, culture, sport, mutual_aid, other")
    phone: str = Field(max_length=32)
    members: int = Field(ge=1, le=100_000)
    activities: str = Field(min_length=1, max_length=500)
    idempotency_key: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{8,80}$", description="made by the kiosk per filing; a retry keeps it"
    )


def identified(runtime: StationRuntime, session_id: str) -> Identity:
    identity = runtime.sessions.get(session_id, caller=CALLER.get()).identity
    if identity is None:
        raise AppError(SESSION_NOT_IDENTIFIED)
    return identity


def _desk(runtime: StationRuntime) -> activities.Desk:
    return activities.Desk(runtime.community.code, runtime.keys.signer, runtime.keys.protector)


def _wake(runtime: StationRuntime) -> None:
    if runtime.sync is not None:
        runtime.sync.wake()


# ---- activities ----------------------------------------------------------------------------------


@router.get("/api/activities")
def upcoming(runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The community's upcoming activities, soonest first (offline: as last published)."""
    with runtime.db() as session:
        return activities.upcoming(session, community_code=runtime.community.code, now=runtime.clock.now())


@router.get("/api/activities/signups")
def my_signups(
    runtime: RuntimeDep, session_id: str = Query(min_length=8, max_length=64)
) -> list[dict[str, Any]]:
    """The identified resident's sign-ups (confirmed, waiting with their position, cancelled)."""
    identity = identified(runtime, session_id)
    with runtime.db() as session:
        return activities.mine(session, identity, now=runtime.clock.now())


@router.get("/api/activities/{activity_id}")
def activity(activity_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """One activity with its description, places left and sign-up window."""
    with runtime.db() as session:
        row = activities.get_activity(session, activity_id, runtime.community.code)
        return activities.view(session, row, now=runtime.clock.now())


@router.get("/api/activities/{activity_id}/image")
def activity_image(activity_id: str, runtime: RuntimeDep) -> Response:
    """The activity's picture (JPEG)."""
    with runtime.db() as session:
        row = activities.get_activity(session, activity_id)
        if row.image is None:
            raise AppError(SIGNUP_NOT_FOUND, detail="no image")
        return Response(row.image, media_type="image/jpeg")


@router.post("/api/activities/{activity_id}/signups", status_code=201)
def sign_up(activity_id: str, body: SignupBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Sign the identified resident up: a place, or the waiting list when full (``state``). Works
    offline; the platform's decision follows. Returns the sign-up with ``ticket_token`` (the QR)."""
    identity = identified(runtime, body.session_id)
    now = runtime.clock.now()
    signup, shown = activities.sign_up(
        runtime.db,
        desk=_desk(runtime),
        identity=identity,
        activity_id=activity_id,
        idempotency_key=body.idempotency_key,
        now=now,
    )
    _wake(runtime)
    with runtime.db() as session:
        row = activities.get_activity(session, signup.activity_id)
        token = activities.ticket_of(signup, row, signer=runtime.keys.signer, now=now)
        return activities.signup_view(signup, row) | {"activity": shown, "ticket_token": token}


@router.post("/api/activities/signups/{signup_id}/slip")
async def print_signup_slip(signup_id: str, body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Print the sign-up slip: the activity, when and where, the state, and the ticket QR."""
    identity = identified(runtime, body.session_id)
    now = runtime.clock.now()
    with runtime.db() as session:
        signup = session.get(LocalSignup, signup_id)
        if signup is None or signup.owner_hash != identity.id_hash or signup.state == "cancelled":
            raise AppError(SIGNUP_NOT_FOUND)
        row = activities.get_activity(session, signup.activity_id)
        token = activities.ticket_of(signup, row, signer=runtime.keys.signer, now=now)
        shown = activities.signup_view(signup, row)
    document = _slip(shown, row, token, runtime.settings.station_name_zh)
    await run_in_threadpool(
        print_slip, runtime.db, runtime.devices, document=document, kind="activity_slip", clock=runtime.clock
    )
    return shown


def _slip(shown: dict[str, Any], row: LocalActivity, token: str, station_name: str) -> Document:
    state = {
        "confirmed": "报名成功 Signed up",
        "waiting": f"候补第{shown['position'] or '?'}位 Waiting list",
        "checked_in": "已签到 Checked in",
    }.get(shown["state"], shown["state"])
    return Document.of(
        Title("活动报名凭条"),
        Text("Activity sign-up slip", align="center"),
        Separator(),
        Text(row.payload["title"], bold=True),
        Text(f"时间：{local_text(row.starts_at)}"),
        Text(f"地点：{row.payload['place']}"),
        Text(f"状态：{state}", bold=True),
        Separator(),
        Text("活动现场请出示此码签到，每张票只能签到一次。"),
        Text("Show this code at the event to check in; it works once."),
        Feed(1),
        Qr(token, ec="Q"),
        Text(station_name, align="center"),
        Feed(2),
        Cut(),
    )


@router.post("/api/activities/signups/{signup_id}/cancel")
def cancel_signup(signup_id: str, body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Cancel the resident's sign-up: its ticket no longer checks in; the first waiting moves up."""
    identity = identified(runtime, body.session_id)
    signup = activities.cancel(runtime.db, identity=identity, signup_id=signup_id, now=runtime.clock.now())
    _wake(runtime)
    return {"id": signup.id, "state": signup.state}


@router.post("/api/activities/checkin")
def check_in(body: TokenBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Check a scanned ticket in (any station's, offline too): once per ticket."""
    result = activities.check_in(
        runtime.db, token=body.token, keys=runtime.trust(), now=runtime.token_clock.now()
    )
    _wake(runtime)
    return result


# ---- open property accounts ----------------------------------------------------------------------


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
    await run_in_threadpool(
        print_slip,
        runtime.db,
        runtime.devices,
        document=document,
        kind="accounts_statement",
        clock=runtime.clock,
    )
    return {"printed": True, "month": month}


# ---- council -------------------------------------------------------------------------------------


@router.get("/api/council/categories")
def council_categories() -> list[dict[str, Any]]:
    """What a proposal may be about (the request categories a council handles)."""
    return council.categories()


@router.get("/api/council/proposals")
def proposals(runtime: RuntimeDep, compound: str = Query("", max_length=32)) -> list[dict[str, Any]]:
    """The community's proposals (of one compound), the latest first, with support and state."""
    with runtime.db() as session:
        return council.listed(session, compound or None)


@router.get("/api/council/mine")
def my_compound_proposals(
    runtime: RuntimeDep, session_id: str = Query(min_length=8, max_length=64)
) -> dict[str, Any]:
    """The identified resident's compound and its proposals, each with ``supported`` (their household)."""
    identity = identified(runtime, session_id)
    with runtime.db() as session:
        return council.of_household(
            session, identity, community_code=runtime.community.code, protector=runtime.keys.protector
        )


@router.get("/api/council/proposals/{proposal_id}")
def proposal(proposal_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """One proposal: its state, support, meeting and decision (``print_lines`` for the slip)."""
    with runtime.db() as session:
        return council.get(session, proposal_id)


@router.post("/api/council/proposals", status_code=201)
def raise_proposal(body: ProposalBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Raise a proposal for the resident's own compound (their household supports it)."""
    identity = identified(runtime, body.session_id)
    photo = None
    if body.photo_jpeg_base64:
        try:
            photo = base64.b64decode(body.photo_jpeg_base64, validate=True)
        except (binascii.Error, ValueError) as err:
            raise AppError(BAD_PROPOSAL, detail="photo") from err
    result = council.raise_proposal(
        runtime.db,
        identity=identity,
        community_code=runtime.community.code,
        protector=runtime.keys.protector,
        compound_code=body.compound,
        category=body.category,
        title=body.title,
        text=body.text,
        photo=photo,
        now=runtime.clock.now(),
        idempotency_key=body.idempotency_key,
    )
    _wake(runtime)
    return result


@router.post("/api/council/proposals/{proposal_id}/support")
def support(proposal_id: str, body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Support a proposal of the resident's compound: once per household."""
    identity = identified(runtime, body.session_id)
    result = council.support(
        runtime.db,
        identity=identity,
        community_code=runtime.community.code,
        protector=runtime.keys.protector,
        proposal_id=proposal_id,
        now=runtime.clock.now(),
    )
    _wake(runtime)
    return result


@router.post("/api/council/proposals/{proposal_id}/print")
async def print_proposal(proposal_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Print a proposal's status and the council's decision."""
    shown = proposal(proposal_id, runtime)
    document = Document.of(
        Title("小区议事堂"), *[Text(line) for line in shown["print_lines"]], Feed(2), Cut()
    )
    await run_in_threadpool(
        print_slip, runtime.db, runtime.devices, document=document, kind="council_slip", clock=runtime.clock
    )
    return shown


# ---- organisations -------------------------------------------------------------------------------


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
    _wake(runtime)
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
    await run_in_threadpool(
        print_slip,
        runtime.db,
        runtime.devices,
        document=document,
        kind="organisation_slip",
        clock=runtime.clock,
    )
    return shown
