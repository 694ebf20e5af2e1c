"""Certificates: the types on offer, issuing and printing one, verifying a scanned one, its phone
copy; and applications (types a staff member must approve) with their pickup slips."""

from __future__ import annotations

from typing import Protocol

from ..errors import BAD_RESPONSE, StationError
from ..records import Application, Certificate, CertificateType, PhoneLink, VerificationResult
from .transport import PRINT_TIMEOUT, Calls, parsed


class CertificateApi(Protocol):
    def certificate_types(self) -> list[CertificateType]: ...
    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate: ...
    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate: ...
    def verify(self, token: str) -> VerificationResult: ...
    def phone_link(self, certificate_id: str, *, session_id: str) -> PhoneLink: ...
    def apply(self, *, session_id: str, type_code: str, purpose: str, idempotency_key: str,
              fields: dict[str, str] | None = None) -> Application: ...
    def print_application_slip(self, application_id: str, *, session_id: str) -> Application: ...
    def pickup(self, token: str) -> Certificate: ...
    def print_pickup(self, token: str) -> Certificate: ...


class CertificateCalls(Calls):
    def certificate_types(self) -> list[CertificateType]:
        """List the certificate types this community offers."""
        body = self._request("GET", "/api/certificate-types")
        if not isinstance(body, list):
            raise StationError.local(BAD_RESPONSE, detail="certificate types: not a list")
        return [parsed(CertificateType.parse, item) for item in body]

    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate:
        """Issue a certificate (idempotent: the same key returns the same certificate)."""
        body = {"session_id": session_id, "type_code": type_code, "purpose": purpose,
                "idempotency_key": idempotency_key, "fields": fields or {}}
        return parsed(Certificate.parse, self._request("POST", "/api/certificates", body))

    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate:
        """Print an issued certificate."""
        body = self._request("POST", f"/api/certificates/{certificate_id}/print",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return parsed(Certificate.parse, body)

    def verify(self, token: str) -> VerificationResult:
        """Ask the station whether a scanned certificate code is genuine (offline, trust list)."""
        return parsed(VerificationResult.parse, self._request("POST", "/api/verify", {"token": token}))

    def phone_link(self, certificate_id: str, *, session_id: str) -> PhoneLink:
        """The link (a second QR) to take the certificate's A4 copy on a phone, or why not."""
        body = self._request("GET", f"/api/certificates/{certificate_id}/phone-link?session_id={session_id}")
        return parsed(PhoneLink.parse, body)

    # ---- applications (types that need approval) and collecting them ---------------------------

    def apply(self, *, session_id: str, type_code: str, purpose: str, idempotency_key: str,
              fields: dict[str, str] | None = None) -> Application:
        """Apply for a certificate a staff member must approve (idempotent by key)."""
        body = {"session_id": session_id, "type_code": type_code, "purpose": purpose,
                "idempotency_key": idempotency_key, "fields": fields or {}}
        return parsed(Application.parse, self._request("POST", "/api/applications", body))

    def print_application_slip(self, application_id: str, *, session_id: str) -> Application:
        """Print the application slip with its pickup QR."""
        body = self._request("POST", f"/api/applications/{application_id}/slip",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return parsed(Application.parse, body)

    def pickup(self, token: str) -> Certificate:
        """Read a scanned pickup QR: the approved certificate, or a StationError saying why not."""
        body = self._request("POST", "/api/applications/pickup", {"token": token})
        return parsed(lambda b: Certificate.parse(b["certificate"]), body)

    def print_pickup(self, token: str) -> Certificate:
        """Print the certificate an approved application's slip collects."""
        body = self._request("POST", "/api/applications/pickup/print", {"token": token},
                             timeout=PRINT_TIMEOUT)
        return parsed(Certificate.parse, body)
