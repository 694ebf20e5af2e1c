"""The station's own processes, as the supervisor reports them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from ...services import parts
from ..deps import RuntimeDep

router = APIRouter(tags=["station"])
PART_NAME = r"^[a-z][a-z0-9_-]{0,22}$"


class PartReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: parts.PartState
    detail: str = Field("", max_length=255)


@router.put("/api/station/parts/{name}")
def report_part(name: Annotated[str, Path(pattern=PART_NAME)], body: PartReport,
                runtime: RuntimeDep) -> dict[str, Any]:
    """Record that one of the station's processes is out of service, or back."""
    changed = parts.report(runtime.db, known=runtime.parts, name=name, state=body.state, detail=body.detail,
                           now=runtime.clock.now())
    return {"component": parts.component_id(name), "state": body.state, "recorded": changed}
