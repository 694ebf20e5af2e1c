"""Liveness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import SettingsDep

router = APIRouter(tags=["health"])


@router.get("/api/health")
def health(settings: SettingsDep) -> dict[str, Any]:
    """Say the platform worker is up."""
    return {"status": "ok", "service": "platform", "environment": settings.environment.value}
