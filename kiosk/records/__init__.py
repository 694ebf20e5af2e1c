"""What the station's API returns, parsed into small immutable records the flow and screens use,
one module per subject: ``base`` (Text, parsing helpers), ``station``, ``residents``,
``certificates``, ``tickets`` (requests and ratings). Import them from here.

Parsing is lenient about extra fields and strict about the ones the kiosk needs: a missing one
raises ``StationError(network.bad_response)`` rather than a KeyError deep inside a screen.
"""

from __future__ import annotations

from .base import Text
from .certificates import (
    FIELD_KINDS,
    VERDICTS,
    Application,
    Certificate,
    CertificateClaims,
    CertificateType,
    PhoneLink,
    Purpose,
    ResidentField,
    VerificationResult,
)
from .community import (
    AccountsMonth,
    Activity,
    CategoryBar,
    CheckIn,
    LedgerLine,
    PublishingCompound,
    Signup,
)
from .residents import Identity, Outcome, SessionInfo
from .station import Component, DeviceEvent, Fault, Notice, Service, StationInfo, parse_faults
from .tickets import (
    Building,
    HistoryStep,
    Landmark,
    Phrase,
    Places,
    RatingLevel,
    RatingOptions,
    RatingReason,
    TicketCategory,
    TicketView,
)

__all__ = [
    "FIELD_KINDS", "VERDICTS", "AccountsMonth", "Activity", "Application", "Building", "CategoryBar",
    "Certificate", "CertificateClaims", "CertificateType", "CheckIn", "Component", "DeviceEvent", "Fault",
    "HistoryStep", "Identity", "Landmark", "LedgerLine", "Notice", "Outcome", "PhoneLink", "Phrase", "Places",
    "PublishingCompound", "Purpose", "RatingLevel", "RatingOptions", "RatingReason", "ResidentField",
    "Service", "SessionInfo", "Signup", "StationInfo", "Text", "TicketCategory", "TicketView",
    "VerificationResult", "parse_faults",
]
