"""The community register in the console: upload a CSV or XLSX, see what it would change (added,
changed, removed, with masked samples) and confirm it — a large removal asks a second time; the
register as it was is kept and can be restored the same way. A file with a bad row changes
nothing and lists every refused row and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from backend.shared.api_params import RowId
from backend.shared.errors import AppError

from ...api.deps import RuntimeDep
from ...api.routes import register as register_api
from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit
from ..fleet_view import areas
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console/register", route_class=ConsoleRoute, include_in_schema=False)
Community = Annotated[str, Form(max_length=32)]


@router.get("", response_class=HTMLResponse)
def register_page(request: Request, user: UserDep, runtime: RuntimeDep, community: str = "") -> HTMLResponse:
    """The upload form, each community's register size, and the kept versions of the chosen one."""
    user.require("register")
    return _page(request, user, runtime, chosen=community)


def _page(request: Request, user: ConsoleUser, runtime: PlatformRuntime, *, chosen: str = "",
          report: dict[str, Any] | None = None, rejected: list[dict[str, Any]] | None = None,
          rejected_count: int = 0, encoding: str = "", status: int = 200) -> HTMLResponse:
    with runtime.db() as session:
        communities = areas(session, user.visible.communities)
    for community in communities:
        community["size"] = register_api.register_size(community["code"], user.visible, runtime)["residents"]
    chosen = chosen if chosen in user.visible.communities else (communities[0]["code"] if communities else "")
    kept = register_api.list_versions(chosen, user.visible, runtime) if chosen else []
    return render(request, "register.html", user=user, section="register", communities=communities,
                  chosen=chosen, report=report, rejected=rejected, rejected_count=rejected_count,
                  encoding=encoding, versions=kept, status=status)


@router.post("", response_class=HTMLResponse)
async def upload(request: Request, user: UserDep, runtime: RuntimeDep, community: Community,
                 file: Annotated[UploadFile, File()]) -> HTMLResponse:
    """Check a file and show what it would change; nothing changes yet."""
    user.require("register")
    try:
        preview = await register_api.upload_register(community, file, user.visible, runtime)
    except AppError as err:
        if "rejected" not in err.context:
            raise
        rejected, count = list(err.context["rejected"]), int(err.context.get("rejected_count", 0))
        encoding = str(err.context.get("encoding", ""))
        await run_in_threadpool(_audit_refusal, runtime, user, community, count)
        return await run_in_threadpool(lambda: _page(
            request, user, runtime, chosen=community, rejected=rejected, rejected_count=count,
            encoding=encoding, status=422))
    return _preview(request, user, preview)


def _preview(request: Request, user: ConsoleUser, preview: dict[str, Any], *, status: int = 200,
             error: str = "") -> HTMLResponse:
    return render(request, "register_preview.html", user=user, section="register", preview=preview,
                  status=status, refused=error)


@router.post("/imports/{import_id}/confirm", response_class=HTMLResponse)
def confirm(request: Request, import_id: str, user: UserDep, runtime: RuntimeDep, community: Community,
            confirm_removal: Annotated[str, Form(max_length=8)] = "") -> HTMLResponse:
    """Apply a previewed import (the API keeps the register as it was, and audits)."""
    user.require("register")
    try:
        report = register_api.confirm_import(community, _import_id(import_id), user.visible, runtime,
                                             confirm_removal=confirm_removal == "yes")
    except AppError as err:
        if err.code not in ("register.confirm_removal", "register.import_closed"):
            raise
        preview = register_api.get_import(community, _import_id(import_id), user.visible, runtime)
        return _preview(request, user, preview, status=err.status, error=err.code)
    return _page(request, user, runtime, chosen=community, report=report)


@router.post("/imports/{import_id}/cancel")
def cancel(import_id: str, user: UserDep, runtime: RuntimeDep, community: Community) -> RedirectResponse:
    """Drop a previewed import."""
    user.require("register")
    register_api.cancel_import(community, _import_id(import_id), user.visible, runtime)
    return back(f"/console/register?community={community}", done="register.cancelled")


@router.post("/versions/{version_id}/restore", response_class=HTMLResponse)
def restore(request: Request, version_id: RowId, user: UserDep, runtime: RuntimeDep,
            community: Community) -> HTMLResponse:
    """Preview bringing a kept version back; confirmed like an upload."""
    user.require("register")
    preview = register_api.restore_version(community, version_id, user.visible, runtime)
    return _preview(request, user, preview)


@router.get("/residents", response_class=HTMLResponse)
def residents(request: Request, user: UserDep, runtime: RuntimeDep, community: str) -> HTMLResponse:
    """The register as it is now, masked."""
    user.require("register")
    rows = register_api.list_residents(community, user.visible, runtime)
    return render(request, "register_residents.html", user=user, section="register", community=community,
                  residents=rows)


def _import_id(value: str) -> str:
    if len(value) != 36:
        raise AppError("register.import_not_found", detail=value[:40])
    return value


def _audit_refusal(runtime: PlatformRuntime, user: ConsoleUser, community: str, count: int) -> None:
    # The API rolls a refused file back, its audit entry too; a refusal is still an action.
    with write_transaction(runtime.db) as session:
        audit.record(session, actor=user.staff.username, action="register.import_refused",
                     target=f"community:{community}", at=runtime.clock.now(), source="console",
                     detail={"rejected": count})
