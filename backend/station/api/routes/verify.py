"""Verifying a scanned certificate QR, offline, against the cached trust list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.verification import verify_certificate

from ..deps import KeysDep, RuntimeDep

router = APIRouter(tags=["verify"])


class VerifyBody(BaseModel):
    token: str = Field(min_length=1, max_length=8192)


@router.post("/api/verify")
def verify(body: VerifyBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Say whether a certificate is genuine, and if not, why."""
    result = verify_certificate(body.token, keys=runtime.trust(), now=runtime.token_clock.now(),
                                revoked=runtime.revoked)
    return result.as_dict()


@router.get("/api/keys/jwks")
def jwks(keys: KeysDep) -> dict[str, Any]:
    """Publish the station's public signing keys (JWKS)."""
    return keys.jwks()
