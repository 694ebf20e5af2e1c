"""Residents' requests at the kiosk: 我要反映 (file), 进度查询 (progress) and 评价 (rate).

The kiosk's screens call these in order; every call but the lookups carries the resident's
``session_id`` (POST /api/sessions with service "requests", "progress" or "rating").

File a request (works offline — the slip says so):
    GET  /api/tickets/categories     the grid: code, zh/en name, icon, anonymous_allowed, ready phrases
    GET  /api/tickets/places         buildings → units (from the register) and public-area landmarks
    POST /api/tickets                file it; 201 with ticket_no, expected_reply_at, slip_token, sent
    POST /api/tickets/{no}/slip      print the slip (number, category, expected reply time, QR)
Check progress:
    POST /api/tickets/lookup         {token}: the slip's scanned QR → the ticket's progress
    GET  /api/tickets?session_id=…   the identified resident's tickets
Rate (right after a certificate is printed, or when a ticket is closed):
    GET  /api/ratings/options        five levels (非常满意 … 非常不满意) and the reasons to tick
    POST /api/ratings                {target: ticket|certificate, …, level, reasons}

Errors are JSON ``{code, message: {zh, en}}``: ticket.unknown_category, ticket.anonymous_not_allowed,
ticket.description_empty, ticket.description_too_long, ticket.bad_text, ticket.bad_phrase,
ticket.bad_phone, ticket.bad_place, ticket.bad_photo, ticket.bad_slip, ticket.not_found,
ticket.not_closed, ticket.already_rated, rating.not_finished, session.not_identified, printer.*.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from backend.shared.errors import AppError
from backend.shared.tickets import errors
from backend.shared.tickets.config import TicketConfig, load_ticket_config
from backend.shared.tickets.messages import PlaceIn
from backend.shared.tickets.slip_token import encode_slip, read_slip

from ...db.ticket_models import LocalTicket
from ...runtime import StationRuntime
from ...services import ratings
from ...services.applications import collect
from ...services.sessions import SESSION_NOT_IDENTIFIED, Identity, ResidentSession
from ...services.ticket_views import progress, ticket_slip
from ...services.tickets import (
    TicketDesk,
    TicketDraft,
    category_view,
    is_sent,
    owned_by,
    places,
    submit_ticket,
)
from ..caller import CALLER
from ..deps import ClockDep, RuntimeDep
from ..printing import print_document
from ..residents import identified

router = APIRouter(tags=["tickets"])
SESSION_TICKETS = "tickets"  # session data: the tickets filed in this visit


class PlaceBody(BaseModel):
    kind: Literal["building", "public"]
    building: str = Field("", max_length=16, description="a building from /api/tickets/places")
    unit: str = Field("", max_length=16, description="one of that building's units (optional)")
    landmark: str = Field("", max_length=32, description="public area: a landmark code (optional)")


class SubmitBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=64)
    idempotency_key: str = Field(pattern=r"^[A-Za-z0-9_-]{8,80}$",
                                 description="made by the kiosk per request; a retry returns the same ticket")
    category: str = Field(max_length=64)
    anonymous: bool = Field(False, description="file without identity (only where the category allows)")
    place: PlaceBody
    phrases: list[str] = Field(default_factory=list, max_length=12, description="ready-phrase codes")
    text: str = Field("", max_length=10_000, description="free text, at most 500 characters")
    phone: str = Field("", max_length=32, description="mobile or landline; required unless anonymous")
    confidential: bool = Field(False, description="keep it off public lists; hide the resident from handlers")
    photo_jpeg_base64: str | None = Field(None, max_length=7_000_000, description="a JPEG from the camera")


class SessionBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=64)


class LookupBody(BaseModel):
    token: str = Field(min_length=1, max_length=4096, description="the slip's QR as scanned")


class RatingBody(BaseModel):
    target: Literal["ticket", "certificate"]
    session_id: str | None = Field(None, min_length=8, max_length=64)
    ticket_no: str | None = Field(None, max_length=40)
    token: str | None = Field(None, max_length=4096,
                              description="a ticket's slip QR, or a certificate's pickup slip QR")
    certificate_id: str | None = Field(None, max_length=64)
    level: int = Field(description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意")
    reasons: list[str] = Field(default_factory=list, max_length=10)


def _config() -> TicketConfig:
    return load_ticket_config()


def desk_of(runtime: StationRuntime) -> TicketDesk:
    """Where tickets are filed: this station, its community, and the platform's key contacts are
    sealed to."""
    return TicketDesk(_config(), runtime.settings.community_code, runtime.station_code,
                      runtime.keys.contact_sealer())


def _session(runtime: StationRuntime, session_id: str) -> ResidentSession:
    return runtime.sessions.get(session_id, caller=CALLER.get())


def _view(runtime: StationRuntime, ticket: LocalTicket) -> dict[str, Any]:
    with runtime.db() as session:
        sent = is_sent(session, ticket)
    rated = _rated(runtime, ticket)
    view = progress(ticket, config=_config(), community=runtime.settings.community_code, sent=sent)
    return view | {"can_rate": view["can_rate"] and not rated}


def _rated(runtime: StationRuntime, ticket: LocalTicket) -> bool:
    with runtime.db() as session:
        follow_up = bool((ticket.status or {}).get("follow_up"))
        return ratings.already_rated(session, "ticket", ticket.ticket_no, follow_up)


@router.get("/api/tickets/categories")
def categories(clock: ClockDep) -> list[dict[str, Any]]:
    """The categories for the kiosk's grid of big icons, with ready phrases and the usual reply time."""
    config = _config()
    return [category_view(c, config, clock.now()) for c in config.categories]


@router.get("/api/tickets/places")
def ticket_places(runtime: RuntimeDep) -> dict[str, Any]:
    """Pick the place: the community's buildings and units from the register, or the public area."""
    with runtime.db() as session:
        return places(session, desk_of(runtime))


@router.post("/api/tickets", status_code=201)
def submit(body: SubmitBody, runtime: RuntimeDep) -> dict[str, Any]:
    """File a request: identified (the session's resident) or anonymous where the category allows.

    The description is the chosen ready phrases and the free text; the phone number is sealed for
    the platform and shown masked. Works offline: the request waits in the outbox (``sent`` false).
    Returns the progress view plus ``slip_token`` (the QR to show and print).
    """
    session = _session(runtime, body.session_id)
    if session.identity is None and not body.anonymous:
        raise AppError(SESSION_NOT_IDENTIFIED)
    draft = TicketDraft(category=body.category, place=PlaceIn(**body.place.model_dump()),
                        idempotency_key=body.idempotency_key, phrases=tuple(body.phrases), text=body.text,
                        phone=body.phone, confidential=body.confidential, anonymous=body.anonymous,
                        photo=_photo(body.photo_jpeg_base64))
    now = runtime.clock.now()
    ticket = submit_ticket(runtime.db, desk=desk_of(runtime), identity=session.identity, draft=draft, now=now)
    session.data.setdefault(SESSION_TICKETS, []).append(ticket.ticket_no)
    if runtime.sync is not None:
        runtime.sync.wake()
    return _view(runtime, ticket) | {"slip_token": encode_slip(ticket.ticket_no, signer=runtime.keys.signer,
                                                               issued_at=now)}


def _photo(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise AppError(errors.BAD_PHOTO, detail="not base64") from err


@router.post("/api/tickets/{ticket_no}/slip")
async def print_ticket_slip(ticket_no: str, body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Print the slip of a request filed in this visit (or of the identified resident's own)."""
    session = _session(runtime, body.session_id)
    ticket = _ticket(runtime, ticket_no)
    mine = ticket_no in session.data.get(SESSION_TICKETS, [])
    if not mine and not (session.identity and ticket.owner_hash == session.identity.id_hash):
        raise AppError(errors.NOT_FOUND)
    view = _view(runtime, ticket)
    offline = not view["sent"] and (runtime.sync is None or runtime.sync.failures > 0)
    token = encode_slip(ticket_no, signer=runtime.keys.signer, issued_at=runtime.clock.now())
    document = ticket_slip(ticket, config=_config(), token=token, community=runtime.settings.community_code,
                           offline=offline, station_name=runtime.settings.station_name_zh)
    await print_document(runtime, document, kind="ticket_slip")
    return view | {"printed_offline_note": offline}


def _ticket(runtime: StationRuntime, ticket_no: str) -> LocalTicket:
    with runtime.db() as session:
        ticket = session.get(LocalTicket, ticket_no)
    if ticket is None:
        raise AppError(errors.NOT_FOUND)
    return ticket


@router.post("/api/tickets/lookup")
def lookup(body: LookupBody, runtime: RuntimeDep) -> dict[str, Any]:
    """进度查询 by the slip's QR: the ticket's state and history in plain words (offline too)."""
    number = read_slip(body.token, keys=runtime.trust(), now=runtime.clock.now())
    return _view(runtime, _ticket(runtime, number))


@router.get("/api/tickets")
def my_tickets(runtime: RuntimeDep,
               session_id: str = Query(min_length=8, max_length=64)) -> list[dict[str, Any]]:
    """进度查询 by identity: the identified resident's requests, newest first."""
    identity = identified(runtime, session_id)
    with runtime.db() as session:
        found = owned_by(session, identity.id_hash)
    return [_view(runtime, t) for t in found]



@router.get("/api/ratings/options")
def rating_options() -> dict[str, Any]:
    """What the rating screen offers: five levels and the reasons to tick."""
    return ratings.options(_config())


@router.post("/api/ratings", status_code=201)
def rate(body: RatingBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Rate a finished service, anonymously: a closed ticket (by its slip's QR, or as its identified
    owner) or a certificate just printed for the identified resident. Once each; a ticket reopened
    after a bad rating can be rated once more (the follow-up rating)."""
    now, config = runtime.clock.now(), _config()
    if body.target == "certificate":
        certificate_id, identity = _certificate_to_rate(runtime, body)
        rating = ratings.rate_certificate(runtime.db, certificate_id=certificate_id,
                                          identity=identity, level=body.level, reasons=body.reasons,
                                          config=config, now=now)
    else:
        number = _ticket_to_rate(runtime, body)
        rating = ratings.rate_ticket(runtime.db, ticket_no=number, level=body.level, reasons=body.reasons,
                                     config=config, now=now)
    if runtime.sync is not None:
        runtime.sync.wake()
    return {"target": rating.target_kind, "id": rating.target_id, "level": rating.level,
            "follow_up": rating.follow_up,
            "message": {"zh": "感谢您的评价！", "en": "Thank you for your rating!"}}


def _certificate_to_rate(runtime: StationRuntime, body: RatingBody) -> tuple[str, Identity]:
    """The certificate and its holder: the identified resident's, or the one a pickup slip collected."""
    if body.token:
        certificate = collect(runtime.db, token=body.token, keys=runtime.trust(),
                              now=runtime.clock.now())
        holder = Identity(id_hash=certificate.holder_id_hash, id_masked=certificate.holder_id_masked,
                          name=certificate.holder_name)
        return certificate.id, holder
    return body.certificate_id or "", identified(runtime, body.session_id or "")


def _ticket_to_rate(runtime: StationRuntime, body: RatingBody) -> str:
    if body.token:
        number = read_slip(body.token, keys=runtime.trust(), now=runtime.clock.now())
        if body.ticket_no and body.ticket_no != number:
            raise AppError(errors.BAD_SLIP, detail="the slip is of another ticket")
        return number
    identity = identified(runtime, body.session_id or "")
    ticket = _ticket(runtime, body.ticket_no or "")
    if ticket.owner_hash != identity.id_hash:
        raise AppError(errors.NOT_FOUND)
    return ticket.ticket_no
