"""The link the kiosk shows as a second QR, for the resident to take the A4 copy on a phone."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from backend.shared.errors import AppError

from ...db.models import Certificate
from ...services.phone_links import LinkContext, phone_link
from ...services.printing import NOT_FOUND
from ..deps import RuntimeDep
from ..residents import identified

router = APIRouter(tags=["certificates"])


@router.get("/api/certificates/{certificate_id}/phone-link")
def get_phone_link(certificate_id: str, runtime: RuntimeDep,
                   session_id: str = Query(min_length=8, max_length=64)) -> dict[str, Any]:
    """A signed link (about 10 minutes) to download the PDF copy from the platform, once it has it.

    ``available`` is false until the platform has the certificate; ``reason`` then says why
    (``not_enrolled``, ``offline``, ``syncing``: ask again in a moment) with a message in zh and en.
    """
    identity = identified(runtime, session_id)
    with runtime.db() as db:
        certificate = db.get(Certificate, certificate_id)
    if certificate is None or certificate.holder_id_hash != identity.id_hash:
        raise AppError(NOT_FOUND)
    context = LinkContext(enrolment=runtime.enrolment, keys_dir=runtime.settings.keys_dir,
                          sync_failures=runtime.sync.failures if runtime.sync is not None else 0)
    return {"certificate_id": certificate_id,
            **phone_link(runtime.db, context=context, certificate_id=certificate_id, now=runtime.clock.now())}
