"""The platform's whole schema: every domain's model module, imported so ``Base.metadata`` is
complete (Alembic reads it from here). Code imports a model from its domain's module.

The models have no ``relationship()``, so a flush inserts rows of different models in the order of
their mappers' sort key, ``<module>.<class>``: a model whose rows may be added in the same flush as
the rows they refer to (a station and its state) must sort after them. ``area_models`` (the org
tree and the stations every domain refers to) sorts first; keep it so when naming a domain's module.
"""

from __future__ import annotations

from . import (
    community_models,  # noqa: F401
    notify_models,  # noqa: F401
    release_models,  # noqa: F401
    ticket_models,  # noqa: F401
    volunteer_models,  # noqa: F401
)
from .area_models import (
    ChangeCounter,
    ChangeRecord,
    Command,
    EnrolmentCode,
    KeyValue,
    Notice,
    OrgUnit,
    RequestNonce,
    Station,
    StationEvent,
    SyncGap,
)
from .base import Base
from .certificate_models import (
    CertificateRecord,
    Revocation,
)
from .fleet_models import (
    Alert,
    ComponentState,
    HeartbeatRecord,
    StationState,
)
from .register_models import (
    Resident,
)
from .staff_models import (
    AuditEntry,
    AuthToken,
    User,
)

__all__ = [
    "Alert",
    "AuditEntry",
    "AuthToken",
    "Base",
    "CertificateRecord",
    "ChangeCounter",
    "ChangeRecord",
    "Command",
    "ComponentState",
    "EnrolmentCode",
    "HeartbeatRecord",
    "KeyValue",
    "Notice",
    "OrgUnit",
    "RequestNonce",
    "Resident",
    "Revocation",
    "Station",
    "StationEvent",
    "StationState",
    "SyncGap",
    "User",
]
