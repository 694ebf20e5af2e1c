"""The community register: upload a CSV or XLSX file; all rows go in or none, with a row-by-row
report of what was refused and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import AppError

from ...api.deps import RuntimeDep
from ...api.routes import register as register_api
from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit
from ..fleet import areas
from ..render import ConsoleRoute, render
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console/register", route_class=ConsoleRoute, include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def register_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The upload form, with how many residents each community's register holds."""
    user.require("register")
    return _page(request, user, runtime)


def _page(request: Request, user: ConsoleUser, runtime: PlatformRuntime, *, chosen: str = "",
          report: dict[str, Any] | None = None, rejected: list[dict[str, Any]] | None = None,
          rejected_count: int = 0, status: int = 200) -> HTMLResponse:
    with runtime.db() as session:
        communities = areas(session, user.visible.communities)
    for community in communities:
        community["size"] = register_api.register_size(community["code"], user.visible, runtime)["residents"]
    return render(request, "register.html", user=user, section="register", communities=communities,
                  chosen=chosen, report=report, rejected=rejected, rejected_count=rejected_count,
                  status=status)


@router.post("", response_class=HTMLResponse)
async def upload(request: Request, user: UserDep, runtime: RuntimeDep,
                 community: Annotated[str, Form(max_length=32)],
                 file: Annotated[UploadFile, File()]) -> HTMLResponse:
    """Import a register file through the staff API (role, area, audit there) and report each row."""
    user.require("register")
    try:
        report = await register_api.import_register(community, file, user.visible, runtime)
    except AppError as err:
        if "rejected" not in err.context:
            raise
        rejected, count = list(err.context["rejected"]), int(err.context.get("rejected_count", 0))
        await run_in_threadpool(_audit_refusal, runtime, user, community, count)
        return await run_in_threadpool(lambda: _page(request, user, runtime, chosen=community,
                                                     rejected=rejected, rejected_count=count, status=422))
    return await run_in_threadpool(lambda: _page(request, user, runtime, chosen=community, report=report))


def _audit_refusal(runtime: PlatformRuntime, user: ConsoleUser, community: str, count: int) -> None:
    # The API rolls a refused import back, its audit entry too; a refusal is still an action.
    with write_transaction(runtime.db) as session:
        audit.record(session, actor=user.staff.username, action="register.import_refused",
                     target=f"community:{community}", at=runtime.clock.now(), source="console",
                     detail={"rejected": count})
