"""The console's router: every page, the live stream, and its own static files (no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from backend.shared.errors import NOT_FOUND, AppError

from ..api.deps import RuntimeDep
from ..api.routes import stream as stream_api
from .pages.accounts import router as account_pages
from .pages.admin import router as admin_pages
from .pages.alerts import router as alerts_pages
from .pages.applications import router as applications_pages
from .pages.bulk import router as bulk_pages
from .pages.community import router as community_pages
from .pages.exports import router as export_pages
from .pages.fleet_page import router as fleet_pages
from .pages.map import router as map_pages
from .pages.notifications import router as notification_pages
from .pages.register import router as register_pages
from .pages.signin import router as signin_pages
from .pages.station import router as station_pages
from .pages.tickets import router as tickets_pages
from .pages.updates import router as updates_pages
from .pages.volunteers import router as volunteer_pages
from .render import ConsoleRoute
from .session import UserDep

STATIC = Path(__file__).with_name("static")
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}
# Only these files are served: a name from the URL never reaches the file system.
STATIC_FILES = {p.name: p for p in STATIC.iterdir() if p.suffix in STATIC_TYPES}

router = APIRouter(include_in_schema=False)
_own = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


@_own.get("/static/{name}")
def static(name: str) -> Response:
    """Serve one of the console's own files."""
    path = STATIC_FILES.get(name)
    if path is None:
        return Response(status_code=404)
    return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                    headers={"Cache-Control": "public, max-age=300"})


@_own.get("/stream")
async def live(request: Request, user: UserDep, runtime: RuntimeDep) -> StreamingResponse:
    """The staff stream (server-sent events) for the signed-in browser, limited to its area."""
    return await stream_api.stream(request, user.visible, runtime)


router.include_router(_own)
# admin_pages first: its /console/stations/new must win over /console/stations/{station_id}.
for pages in (admin_pages, bulk_pages, export_pages, map_pages,
              signin_pages, fleet_pages, station_pages, alerts_pages, tickets_pages, applications_pages,
              register_pages, account_pages, notification_pages, updates_pages, volunteer_pages,
              community_pages):
    router.include_router(pages)

# Last: any other /console address is a page saying so (in the frame), never JSON.
_unknown = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


@_unknown.get("/{rest:path}")
def unknown_page(rest: str) -> Response:
    """A console page that does not exist."""
    raise AppError(NOT_FOUND, detail=rest[:64])


router.include_router(_unknown)
