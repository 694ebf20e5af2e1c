"""The community register: an uploaded CSV or XLSX becomes a preview (added, changed, removed,
with masked samples) that staff confirm; the register as it was is kept and can be restored."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from backend.shared.api_params import RowId
from backend.shared.errors import FORBIDDEN, VALIDATION, AppError
from backend.shared.register_file import COLUMNS, read_register

from ...db.session import write_transaction
from ...services import audit, register_imports
from ...services import register as register_service
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/communities/{community_code}", tags=["register"])
templates = APIRouter(prefix="/api/staff/register", tags=["register"])
MAX_FILE = 20 * 1024 * 1024
ImportId = Annotated[str, Path(min_length=36, max_length=36)]
# An example row that shows each column's form and can never be imported as a person: no ID
# number, real or invented, is handed out in a template (uploaded as is, it is refused row 1).
TEMPLATE_ROW = ["（18位身份证号）", "示例：请删除本行", "女", "1949-12-31", "01", "1", "2", "301", "H0301",
                "2001-01-01", "active"]


def _visible(visible: VisibilityDep, community_code: str) -> None:
    visible.staff.require("register")
    if community_code not in visible.communities:
        raise AppError(FORBIDDEN, detail=community_code)


@router.post("/register", status_code=201)
async def upload_register(community_code: str, file: UploadFile, visible: VisibilityDep,
                          runtime: RuntimeDep) -> dict[str, Any]:
    """Check a register file and show what it would change; nothing changes until it is confirmed."""
    _visible(visible, community_code)
    data = await file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise AppError(VALIDATION, detail="file larger than 20 MB")
    name = file.filename or "register.csv"
    return await run_in_threadpool(_preview_file, runtime, visible, community_code, data, name)


def _preview_file(runtime: RuntimeDep, visible: VisibilityDep, community_code: str, data: bytes,
                  name: str) -> dict[str, Any]:
    now = runtime.clock.now()
    parsed = read_register(data, name, now.date())
    with write_transaction(runtime.db) as session:
        pending = register_imports.preview_file(session, community_code=community_code, parsed=parsed,
                                                source=name,
                                                protector=runtime.community_protector(community_code),
                                                actor=visible.staff.username, now=now)
        return register_imports.view(session, pending, runtime.settings.register_removal_share)


@router.get("/register/imports/{import_id}")
def get_import(community_code: str, import_id: ImportId, visible: VisibilityDep,
               runtime: RuntimeDep) -> dict[str, Any]:
    """A register import and what it would change (or did)."""
    _visible(visible, community_code)
    with runtime.db() as session:
        pending = register_imports.get_import(session, community_code, import_id)
        return register_imports.view(session, pending, runtime.settings.register_removal_share)


@router.post("/register/imports/{import_id}/confirm")
def confirm_import(community_code: str, import_id: ImportId, visible: VisibilityDep, runtime: RuntimeDep,
                   confirm_removal: Annotated[bool, Body(embed=True)] = False) -> dict[str, Any]:
    """Replace the register with a previewed import; the register as it was is kept as a version."""
    _visible(visible, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        report = register_imports.confirm(session, community_code=community_code, import_id=import_id,
                                          confirm_removal=confirm_removal,
                                          removal_share=runtime.settings.register_removal_share,
                                          actor=visible.staff.username, now=now)
        audit.record(session, actor=visible.staff.username, action="register.import",
                     target=f"community:{community_code}", at=now,
                     detail={k: v for k, v in report.items() if k != "rejected"})
    return report


@router.post("/register/imports/{import_id}/cancel")
def cancel_import(community_code: str, import_id: ImportId, visible: VisibilityDep,
                  runtime: RuntimeDep) -> dict[str, Any]:
    """Drop a previewed import; the register stays as it is."""
    _visible(visible, community_code)
    with write_transaction(runtime.db) as session:
        register_imports.cancel(session, community_code=community_code, import_id=import_id,
                                actor=visible.staff.username, now=runtime.clock.now())
    return {"id": import_id, "state": "cancelled"}


@router.get("/register/versions")
def list_versions(community_code: str, visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The register as it was before each import, newest first."""
    _visible(visible, community_code)
    with runtime.db() as session:
        return register_imports.versions(session, community_code)


@router.post("/register/versions/{version_id}/restore", status_code=201)
def restore_version(community_code: str, version_id: RowId, visible: VisibilityDep,
                    runtime: RuntimeDep) -> dict[str, Any]:
    """Preview bringing a kept version back (confirm it like an upload)."""
    _visible(visible, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        pending = register_imports.preview_restore(session, community_code=community_code,
                                                   version_id=version_id, actor=visible.staff.username,
                                                   now=now)
        return register_imports.view(session, pending, runtime.settings.register_removal_share)


@router.get("/register/residents")
def list_residents(community_code: str, visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The register as it is, masked (never a whole ID number)."""
    _visible(visible, community_code)
    with runtime.db() as session:
        residents = sorted(register_service.current_rows(session, community_code).values(),
                           key=lambda r: (r.building, r.unit, r.room, r.name))
        return [{k: str(getattr(r, k)) for k in register_service.FIELDS} for r in residents]


@router.get("/register/size")
def register_size(community_code: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """How many residents the community's register holds."""
    if community_code not in visible.communities:
        raise AppError(FORBIDDEN, detail=community_code)
    with runtime.db() as session:
        return {"community_code": community_code,
                "residents": register_service.register_size(session, community_code)}


@templates.get("/template.csv")
def template_csv(visible: VisibilityDep) -> Response:
    """An empty register file with the right columns and one example row, as CSV (UTF-8 with BOM,
    so Excel opens the Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(TEMPLATE_ROW)
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="register-template.csv"'})


@templates.get("/template.xlsx")
def template_xlsx(visible: VisibilityDep) -> Response:
    """The same template as an Excel workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(TEMPLATE_ROW)
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="register-template.xlsx"'})
