"""Open311 GeoReport v2 under /open311/v2, XML or JSON by the URL's suffix (.xml / .json):

    GET  discovery.{fmt}                       endpoints and formats
    GET  services.{fmt}                        the categories (service_code = category code)
    GET  services/{service_code}.{fmt}         its attributes (community, building, landmark, phrase…)
    POST requests.{fmt}                        file a request (form-encoded, api_key required)
    GET  requests.{fmt}                        search (service_request_id, service_code, status,
                                               start_date/end_date: last 90 days by default)
    GET  requests/{service_request_id}.{fmt}   a list of one
    GET  tokens/{token}.{fmt}                  the request a token stands for
    GET  servicerequestupdates.{fmt}           FixMyStreet's updates (extended statuses)
    POST servicerequestupdates.{fmt}           an update from a client (api_key): e.g. FIXED closes

Errors are the spec's bodies ([{code, description}]) with 400, 403 or 404; ``locale=en`` gives
English names and words. Api keys are issued by staff (/api/staff/open311/keys).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import AppError
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.words import state_words

from ...db.session import write_transaction
from ...db.ticket_models import Ticket
from ...runtime import PlatformRuntime
from ...services.tickets import apikeys, open311
from ...services.tickets.access import Actor
from ...services.tickets.open311_form import Form
from ...services.tickets.open311_format import (
    Open311Error,
    app_error,
    check_format,
    render,
    render_error,
    w3c,
)
from ...services.tickets.tree import TicketTree
from ..deps import RuntimeDep

router = APIRouter(prefix="/open311/v2", tags=["open311"])
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"  # when the service list last changed


def _answer(fmt: str, root: str, build: Callable[[], Any], status: int = 200) -> Response:
    try:
        return render(check_format(fmt), root, build(), status)
    except Open311Error as err:
        return render_error(fmt, err)
    except AppError as err:
        return render_error(fmt, app_error(err))


def _context(runtime: PlatformRuntime, request: Request) -> open311.Context:
    jurisdiction = request.query_params.get("jurisdiction_id")
    if jurisdiction and jurisdiction != runtime.settings.district_code:
        raise Open311Error(404, f"jurisdiction_id {jurisdiction[:16]!r} not found")
    return open311.Context(load_ticket_config(), runtime.clock.now(),
                           open311.locale_of(request.query_params.get("locale")))


def _date(request: Request, name: str, timezone: ZoneInfo) -> datetime | None:
    text = request.query_params.get(name)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError:
        raise Open311Error(400, f"{name} is not a W3C datetime") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone)


def _list(request: Request, name: str) -> list[str]:
    return [v.strip() for v in (request.query_params.get(name) or "").split(",") if v.strip()]


@router.get("/discovery.{fmt}")
def discovery(fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """Service discovery: where the GeoReport v2 endpoint is and which formats it speaks."""
    base = (runtime.settings.public_url or str(request.base_url)).rstrip("/") + "/open311/v2"
    return _answer(fmt, "discovery", lambda: {
        "changeset": CHANGESET, "contact": "12345 政务服务便民热线 / 12345 citizen service hotline",
        "key_service": "Api keys are issued by district staff in the one-window platform's console.",
        "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}]})


@router.get("/services.{fmt}")
def services(fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """The services (request categories) on offer."""
    return _answer(fmt, "services",
                   lambda: open311.services(load_ticket_config(), _context(runtime, request)))


@router.get("/services/{service_code}.{fmt}")
def service_definition(service_code: str, fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """A service's definition: the attributes a request may or must give."""
    def build() -> dict[str, Any]:
        with runtime.db() as session:
            return open311.definition(session, service_code, _context(runtime, request))
    return _answer(fmt, "service_definition", build)


async def _form(request: Request) -> Form:
    form = await request.form()
    return Form.of(request.query_params.items(), form.multi_items())


def _api_actor(session: Any, form: Form, now: datetime) -> Actor:
    key = form.get("api_key")
    if not key:
        raise Open311Error(403, "api_key is required")
    actor = apikeys.actor_for(session, key, now)
    if actor is None:
        raise Open311Error(403, "api_key is not valid")
    return actor


@router.post("/requests.{fmt}")
async def post_request(fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """File a request (form-encoded; api_key, service_code, a location, attribute[community]…)."""
    form = await _form(request)

    def build() -> list[dict[str, Any]]:
        ctx = _context(runtime, request)
        with write_transaction(runtime.db) as session:
            actor = _api_actor(session, form, ctx.now)
            ticket = open311.create_request(session, form=form, actor=actor, ctx=ctx,
                                            district_code=runtime.settings.district_code,
                                            sealer=runtime.contact.sealer)
            notice = _notice(ticket, ctx)
        runtime.publish([{"type": "ticket.new", "ticket_no": ticket.ticket_no, "source": "open311",
                          "community": ticket.community_code, "category": ticket.category}])
        return [{"service_request_id": ticket.ticket_no, "token": ticket.open311_token,
                 "service_notice": notice, "account_id": ""}]
    return await run_in_threadpool(_answer, fmt, "service_requests", build)


def _notice(ticket: Ticket, ctx: open311.Context) -> str:
    due = w3c(ticket.reply_due, ctx.config.calendar.timezone) or ""
    words = state_words(ticket.state)
    return f"{ctx.words(words)}; reply expected by {due}" if ctx.locale == "en" else \
        f"{ctx.words(words)}，预计{due}前答复"


@router.get("/requests.{fmt}")
def get_requests(fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """Search public requests (never confidential ones); the last 90 days by default."""
    def build() -> list[dict[str, Any]]:
        ctx = _context(runtime, request)
        tz = ctx.config.calendar.timezone
        with runtime.db() as session:
            found = open311.find_requests(
                session, ids=_list(request, "service_request_id"), codes=_list(request, "service_code"),
                statuses=_list(request, "status"), start=_date(request, "start_date", tz),
                end=_date(request, "end_date", tz), ctx=ctx)
            tree = TicketTree(session)
            return [open311.request_view(session, t, ctx, tree) for t in found]
    return _answer(fmt, "service_requests", build)


@router.get("/requests/{service_request_id}.{fmt}")
def get_request(service_request_id: str, fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """One request, as a list of one (404 for unknown and confidential ones)."""
    def build() -> list[dict[str, Any]]:
        ctx = _context(runtime, request)
        with runtime.db() as session:
            ticket = open311.public_ticket(session, service_request_id)
            return [open311.request_view(session, ticket, ctx, TicketTree(session))]
    return _answer(fmt, "service_requests", build)


@router.get("/tokens/{token}.{fmt}")
def get_token(token: str, fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """The request a POST's token stands for."""
    def build() -> list[dict[str, Any]]:
        _context(runtime, request)
        with runtime.db() as session:
            number = session.scalar(select(Ticket.ticket_no).where(Ticket.open311_token == token[:40]))
        if number is None:
            raise Open311Error(404, "token not found")
        return [{"service_request_id": number, "token": token}]
    return _answer(fmt, "service_requests", build)


@router.get("/servicerequestupdates.{fmt}")
def get_updates(fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """Public updates of public requests (FixMyStreet's extension), oldest first."""
    def build() -> list[dict[str, Any]]:
        ctx = _context(runtime, request)
        tz = ctx.config.calendar.timezone
        with runtime.db() as session:
            return open311.updates(session, start=_date(request, "start_date", tz),
                                   end=_date(request, "end_date", tz), ctx=ctx)
    return _answer(fmt, "service_request_updates", build)


@router.post("/servicerequestupdates.{fmt}")
async def post_update(fmt: str, request: Request, runtime: RuntimeDep) -> Response:
    """Apply a client's update (api_key, service_request_id, status, description)."""
    form = await _form(request)

    def build() -> list[dict[str, Any]]:
        ctx = _context(runtime, request)
        with write_transaction(runtime.db) as session:
            actor = _api_actor(session, form, ctx.now)
            step = open311.post_update(session, form=form, actor=actor, ctx=ctx)
            update_id = str(step.id)
        runtime.publish([{"type": "ticket.changed", "ticket_no": form.get("service_request_id")}])
        return [{"update_id": update_id}]
    return await run_in_threadpool(_answer, fmt, "service_request_updates", build)
