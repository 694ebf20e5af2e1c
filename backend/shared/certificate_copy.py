"""A certificate's text and its A4 page, from the facts any side holds about it.

The station renders from its own record, the platform from what the ``certificate.issued`` event
told it; both go through these functions, so the resident's phone copy says exactly what the
paper says (same text, same facts, same QR).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from . import localtime
from .catalog import CertificateType
from .certificate_pdf import CertificatePage

COPY_NOTE = "电子副本 ELECTRONIC COPY"


class CertificateFacts(Protocol):
    """What a copy of a certificate is made from (a station's record or the platform's)."""

    @property
    def serial(self) -> str: ...

    @property
    def identifier(self) -> str: ...

    @property
    def holder_name(self) -> str: ...

    @property
    def holder_id_masked(self) -> str: ...

    @property
    def purpose(self) -> str: ...

    @property
    def details(self) -> dict[str, Any]: ...

    @property
    def token(self) -> str: ...

    @property
    def issued_at(self) -> datetime: ...

    @property
    def expires_at(self) -> datetime: ...


def issuer_name(community_name_zh: str) -> str:
    """The issuing body named on a certificate: the community's residents' committee."""
    return f"{community_name_zh}居民委员会"


def certificate_text(certificate: CertificateFacts, kind: CertificateType, lang: str = "zh") -> str:
    """Fill the type's template with the certificate's facts."""
    assert kind.template is not None
    values = {"name": certificate.holder_name, "id_masked": certificate.holder_id_masked,
              **{k: str(v) for k, v in certificate.details.items()}}
    if "since" in values:
        values["since"] = long_date(values["since"], lang)
    return kind.template.get(lang).format_map(_Missing(values))


def certificate_page(certificate: CertificateFacts, kind: CertificateType, *,
                     issuer_name: str) -> CertificatePage:
    """The A4 copy of a certificate (same text, same QR) for the PDF."""
    purpose = kind.purpose(certificate.purpose)
    return CertificatePage(
        title_zh=kind.name.zh, title_en=kind.name.en,
        text_zh=certificate_text(certificate, kind, "zh"), text_en=certificate_text(certificate, kind, "en"),
        token=certificate.token, identifier=certificate.identifier, issuer=issuer_name,
        facts=[("编号 Serial", certificate.serial),
               ("用途 Purpose", f"{purpose.zh} {purpose.en}" if purpose else certificate.purpose),
               ("出具时间 Issued", local_time(certificate.issued_at)),
               ("有效期至 Valid until", local_time(certificate.expires_at, with_time=False))],
        note=COPY_NOTE)


def local_time(moment: datetime, *, with_time: bool = True) -> str:
    """A moment as people in the district read it (the configured local zone)."""
    return localtime.local_text(moment, "%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def long_date(iso: str, lang: str) -> str:
    """``2010-05-01`` as 2010年5月1日 (zh) or 2010-05-01 (en)."""
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日" if lang == "zh" else f"{year}-{month:02d}-{day:02d}"


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"
