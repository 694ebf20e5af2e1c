"""Console pages for what was only in the staff API: the audit log, Open311 keys, notices to the
kiosks, adding a station and making its enrolment code, and ratings of services. Each page calls
the staff API's own route function (its role and area checks, its audit entry); a secret the API
shows once (an Open311 key, an enrolment code) is shown once here too, on the page that made it,
never put in a URL."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from backend.shared.api_params import RowId
from backend.shared.errors import VALIDATION, AppError
from backend.shared.tickets.config import load_ticket_config

from ...api.deps import RuntimeDep
from ...api.routes import notices as notices_api
from ...api.routes import open311_keys as keys_api
from ...api.routes import stations as stations_api
from ...api.routes import ticket_actions, ticket_reads
from ...db.area_models import Notice
from ...services import audit, changes, org
from ..i18n import WORDS, words
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, UserDep, language

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
Short = Annotated[str, Form(max_length=128)]
Long = Annotated[str, Form(max_length=2000)]


def _fields(err: ValidationError) -> str:
    return ", ".join(str(e["loc"][0]) for e in err.errors())


# ---- audit log -------------------------------------------------------------------------------------

@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, user: UserDep, runtime: RuntimeDep,
               actor: str = Query("", max_length=64), action: str = Query("", max_length=64),
               target: str = Query("", max_length=128)) -> HTMLResponse:
    """The latest staff actions in the administrator's area, filtered by who, what and on what."""
    user.require("audit")
    with runtime.db() as session:
        found = audit.recent(session, viewer_org=user.staff.org_code, limit=1000)
    chosen = {"actor": actor.strip(), "action": action.strip(), "target": target.strip()}
    kept = [e for e in found if (not chosen["actor"] or e["actor"] == chosen["actor"])
            and (not chosen["action"] or e["action"].startswith(chosen["action"]))
            and (not chosen["target"] or chosen["target"] in e["target"])][:300]
    lang = language(request)
    for entry in kept:
        entry["label"] = action_words(lang, entry["action"])
    actions = {a: action_words(lang, a) for a in sorted({e["action"] for e in found})}
    return render(request, "audit.html", user=user, section="audit", entries=kept, chosen=chosen,
                  actions=actions, query=urlencode({k: v for k, v in chosen.items() if v}))


def action_words(lang: str, action: str) -> str:
    """An audit action in words: its own, a ticket step's or a station command's, else the code."""
    kind, _, rest = action.partition(".")
    for key in (f"audit.do.{action}", f"act.{rest}" if kind == "ticket" else "",
                f"command.{rest}" if kind == "command" else ""):
        if key and key in WORDS:
            return words(lang, key)
    if kind == "command":
        return f"{words(lang, 'audit.do.command')} {rest}"
    return action


# ---- Open311 keys ----------------------------------------------------------------------------------

def _units(user: ConsoleUser, runtime: Any) -> list[dict[str, Any]]:
    with runtime.db() as session:
        return org.tree_view(session, user.staff.org_code)


@router.get("/open311", response_class=HTMLResponse)
def open311_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The Open311 client keys of the user's units (never the keys themselves), issue and revoke."""
    return render(request, "open311.html", user=user, section="open311",
                  keys=keys_api.list_keys(user.staff, runtime), units=_units(user, runtime), issued=None)


@router.post("/open311", response_class=HTMLResponse)
def issue_key(request: Request, user: UserDep, runtime: RuntimeDep, name: Short, org_code: Short) -> Response:
    """Issue a key: shown once, on this page."""
    try:
        body = _new_key(name, org_code)
        issued = keys_api.issue_key(body, user.staff, runtime)
    except AppError as err:
        return back("/console/open311", error=err)
    return render(request, "open311.html", user=user, section="open311", status=201,
                  keys=keys_api.list_keys(user.staff, runtime), units=_units(user, runtime), issued=issued)


def _new_key(name: str, org_code: str) -> keys_api.NewKey:
    try:
        return keys_api.NewKey(name=name.strip(), org_code=org_code)
    except ValidationError as err:
        raise AppError(VALIDATION, detail=_fields(err)) from err


@router.post("/open311/{key_id}/revoke")
def revoke_key(key_id: RowId, user: UserDep, runtime: RuntimeDep,
               confirmed: Annotated[str, Form(max_length=8)] = "") -> Response:
    """Revoke a key (the form asks first: clients using it stop working at once)."""
    if confirmed != "yes":
        return back("/console/open311", error=AppError(VALIDATION, detail="confirmed"))
    try:
        keys_api.revoke_key(key_id, user.staff, runtime)
    except AppError as err:
        return back("/console/open311", error=err)
    return back("/console/open311", done="done.key_revoked")


# ---- notices ---------------------------------------------------------------------------------------

@router.get("/notices", response_class=HTMLResponse)
def notices_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """Notices sent to the kiosks of the user's communities (and district-wide), newest first."""
    user.require("notices")
    scopes = [changes.community_scope(c) for c in user.visible.communities] + [changes.DISTRICT]
    with runtime.db() as session:
        rows = session.scalars(select(Notice).where(Notice.scope.in_(scopes))
                               .order_by(Notice.created_at.desc()).limit(100))
        notices = [{"id": n.id, "scope": n.scope, "title": n.title, "body": n.body, "by": n.created_by,
                    "at": n.created_at.isoformat()} for n in rows]
        names = org.names(session, list(user.visible.communities))
    return render(request, "notices.html", user=user, section="notices", notices=notices,
                  communities=names, district=changes.DISTRICT)


@router.post("/notices")
def publish_notice(user: UserDep, runtime: RuntimeDep, community: Short, title_zh: Short, body_zh: Long,
                   title_en: Short = "", body_en: Long = "") -> Response:
    """Send a notice to the kiosks of a community (or, for administrators, of the whole district)."""
    try:
        if not title_zh.strip():
            raise AppError(VALIDATION, detail="title_zh")
        if not body_zh.strip():
            raise AppError(VALIDATION, detail="body_zh")
        body = notices_api.NoticeBody(
            community_code=None if community == "district" else community,
            title={"zh": title_zh.strip(), "en": title_en.strip() or title_zh.strip()},
            body={"zh": body_zh.strip(), "en": body_en.strip() or body_zh.strip()})
        notices_api.publish_notice(body, user.visible, runtime)
    except AppError as err:
        return back("/console/notices", error=err)
    return back("/console/notices", done="done.notice_sent")


# ---- stations: add one, make its enrolment code --------------------------------------------------

@router.get("/stations/new", response_class=HTMLResponse)
def new_station_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The form to register a station under a community (administrators)."""
    user.require("stations")
    with runtime.db() as session:
        names = org.names(session, list(user.visible.communities))
    return render(request, "station_new.html", user=user, section="fleet", communities=names, values={})


@router.post("/stations/new", response_class=HTMLResponse)
def create_station(request: Request, user: UserDep, runtime: RuntimeDep, station_id: Short, name: Short,
                   community_code: Short, station_code: Short) -> Response:
    """Register the station, then make its first enrolment code and show it once."""
    values = {"station_id": station_id.strip(), "name": name.strip(), "community_code": community_code,
              "station_code": station_code.strip().upper()}
    try:
        try:
            body = stations_api.NewStation(**values)
        except ValidationError as err:
            raise AppError(VALIDATION, detail=_fields(err)) from err
        stations_api.create_station(body, user.visible, runtime)
    except AppError as err:
        with runtime.db() as session:
            names = org.names(session, list(user.visible.communities))
        return render(request, "station_new.html", user=user, section="fleet", communities=names,
                      values=values, status=err.status, failed=err.code, failed_detail=err.detail or "")
    code = stations_api.enrolment_code(values["station_id"], user.visible, runtime)
    return render(request, "enrolment_code.html", user=user, section="fleet", code=code, created=True,
                  platform_url=_platform_url(request, runtime),
                  status=201)


@router.post("/stations/{station_id}/enrolment-code", response_class=HTMLResponse)
def enrolment_code(station_id: str, request: Request, user: UserDep, runtime: RuntimeDep) -> Response:
    """A new one-time enrolment code for a station (e.g. after replacing its computer), shown once."""
    try:
        code = stations_api.enrolment_code(station_id, user.visible, runtime)
    except AppError as err:
        if err.status == 404:
            raise
        return back(f"/console/stations/{station_id}", error=err)
    return render(request, "enrolment_code.html", user=user, section="fleet", code=code, created=False,
                  platform_url=_platform_url(request, runtime),
                  status=201)


# ---- ratings ---------------------------------------------------------------------------------------

@router.get("/ratings", response_class=HTMLResponse)
def ratings_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """How residents rated the certificates and other services, per station, type and month."""
    found = ticket_reads.other_service_ratings(user.staff, runtime, load_ticket_config(), since=None,
                                              until=None)
    return render(request, "ratings.html", user=user, section="ratings", ratings=found[::-1])


def _platform_url(request: Request, runtime: Any) -> str:
    return str(runtime.settings.public_url or request.base_url).rstrip("/")


# ---- a ticket's photo and links --------------------------------------------------------------------

@router.get("/tickets/{ticket_no}/photo", response_model=None)
def ticket_photo(ticket_no: str, user: UserDep, runtime: RuntimeDep) -> Response:
    """The photo taken at the kiosk, for the ticket page (the staff API's own visibility check)."""
    return ticket_reads.photo(ticket_no, user.staff, runtime)


@router.post("/tickets/{ticket_no}/link")
def link_ticket(ticket_no: str, user: UserDep, runtime: RuntimeDep, other: Short) -> Response:
    """Link a ticket with another about the same thing (both the user's to coordinate)."""
    here = f"/console/tickets/{ticket_no}"
    try:
        ticket_actions.link(ticket_no, ticket_actions.LinkBody(other=other.strip()[:40]), user.staff, runtime)
    except AppError as err:
        if err.status == 404 and not other.strip():
            raise
        return back(here, error=err)
    return back(here, done="done.linked")
