"""The sync protocol between stations and the one-window platform: messages and request signing.

The station and the platform share only this (and the rest of backend.shared), never each
other's code. Endpoints (all under the platform's base URL):

    POST /api/sync/enroll              EnrolRequest -> EnrolResponse     (one-time code, unsigned)
    POST /api/sync/events              EventBatch -> BatchAck            (signed)
    GET  /api/sync/changes?after=N&limit=M -> ChangesPage                (signed)
    POST /api/sync/heartbeat           Heartbeat -> HeartbeatAck         (signed)
    PUT  /api/sync/keys                JWKS of certificate keys -> {}    (signed)
    GET  /api/trust.jwks.json          every station's certificate keys  (public)
"""

from .httpsig import (
    LABEL,
    REQUIRED_COMPONENTS,
    SignatureError,
    VerifiedRequest,
    content_digest,
    digest_matches,
    new_nonce,
    sign_request,
    signature_base,
    verify_request,
)
from .schemas import (
    MAX_BATCH,
    MAX_BATCH_BYTES,
    PROTOCOL_VERSION,
    BatchAck,
    Change,
    ChangeKind,
    ChangesPage,
    CommandKind,
    ComponentReport,
    Counters,
    EnrolRequest,
    EnrolResponse,
    EventBatch,
    EventType,
    Heartbeat,
    HeartbeatAck,
    OutboxEventIn,
    RegisterEntry,
    Rejection,
    ServiceReport,
    UpdateOffer,
)

__all__ = [
    "LABEL",
    "MAX_BATCH",
    "MAX_BATCH_BYTES",
    "PROTOCOL_VERSION",
    "REQUIRED_COMPONENTS",
    "BatchAck",
    "Change",
    "ChangeKind",
    "ChangesPage",
    "CommandKind",
    "ComponentReport",
    "Counters",
    "EnrolRequest",
    "EnrolResponse",
    "EventBatch",
    "EventType",
    "Heartbeat",
    "HeartbeatAck",
    "OutboxEventIn",
    "RegisterEntry",
    "Rejection",
    "ServiceReport",
    "SignatureError",
    "UpdateOffer",
    "VerifiedRequest",
    "content_digest",
    "digest_matches",
    "new_nonce",
    "sign_request",
    "signature_base",
    "verify_request",
]
