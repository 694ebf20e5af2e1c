"""What a printed certificate looks like, as a receipt document any printer profile can lay out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from backend.shared.catalog import CertificateType
from backend.shared.certificate_pdf import CertificatePage
from devices.printer.document import Block, Cut, Document, Feed, KeyValue, Qr, Separator, Text, Title

from ..db.models import Application, Certificate

LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def certificate_receipt(certificate: Certificate, kind: CertificateType, *, issuer_name: str,
                        reprint: bool = False) -> Document:
    """Return the receipt of a certificate: its text, its facts, and the QR that verifies it."""
    purpose = kind.purpose(certificate.purpose)
    reprint_mark: list[Block] = [Text("（补打 REPRINT）", align="center", bold=True)] if reprint else []
    blocks: list[Block] = [
        Title(kind.name.zh),
        Text(kind.name.en, align="center"),
        *reprint_mark,
        Separator(),
        Text(certificate_text(certificate, kind)),
        Separator(),
        KeyValue("编号", certificate.serial),
        KeyValue("用途", purpose.zh if purpose else certificate.purpose),
        KeyValue("出具时间", _local(certificate.issued_at)),
        KeyValue("有效期至", _local(certificate.expires_at, with_time=False)),
        KeyValue("出具单位", issuer_name),
        Feed(1),
        Qr(certificate.token, ec="Q"),
        Text("扫码核验真伪 Scan to verify", align="center"),
        Text(certificate.identifier, align="center"),
        Feed(2),
        Cut(),
    ]
    return Document(tuple(blocks))


def certificate_text(certificate: Certificate, kind: CertificateType, lang: str = "zh") -> str:
    """Fill the type's template with the certificate's facts."""
    assert kind.template is not None
    values = {"name": certificate.holder_name, "id_masked": certificate.holder_id_masked,
              **{k: str(v) for k, v in certificate.details.items()}}
    if "since" in values:
        values["since"] = _long_date(values["since"], lang)
    return kind.template.get(lang).format_map(_Missing(values))


def _local(moment: datetime, *, with_time: bool = True) -> str:
    local = moment.astimezone(LOCAL_TIME)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _long_date(iso: str, lang: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日" if lang == "zh" else f"{year}-{month:02d}-{day:02d}"


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def certificate_page(certificate: Certificate, kind: CertificateType, *, issuer_name: str) -> CertificatePage:
    """The A4 copy of a certificate (same text, same QR) for the PDF."""
    purpose = kind.purpose(certificate.purpose)
    return CertificatePage(
        title_zh=kind.name.zh, title_en=kind.name.en,
        text_zh=certificate_text(certificate, kind, "zh"), text_en=certificate_text(certificate, kind, "en"),
        token=certificate.token, identifier=certificate.identifier, issuer=issuer_name,
        facts=[("编号 Serial", certificate.serial),
               ("用途 Purpose", f"{purpose.zh} {purpose.en}" if purpose else certificate.purpose),
               ("出具时间 Issued", _local(certificate.issued_at)),
               ("有效期至 Valid until", _local(certificate.expires_at, with_time=False))],
        note="电子副本 ELECTRONIC COPY")


def application_slip(application: Application, kind: CertificateType, *, token: str) -> Document:
    """The slip a resident keeps after applying: what, when, and the pickup QR."""
    purpose = kind.purpose(application.purpose)
    code = application.pickup_code
    return Document.of(
        Title("申请回执"),
        Text("Application slip", align="center"),
        Separator(),
        KeyValue("申请事项", kind.name.zh),
        KeyValue("申请人", f"{application.holder_name} {application.holder_id_masked}"),
        KeyValue("用途", purpose.zh if purpose else application.purpose),
        KeyValue("申请时间", _local(application.created_at)),
        KeyValue("取件码", f"{code[:4]}-{code[4:]}"),
        Separator(),
        Text("工作人员审核通过后（通常一个工作日内），请随时来站扫描下方二维码取件。"),
        Text("After a staff member approves it (usually within one working day), come back any time "
             "and scan this code to print your certificate."),
        Feed(1),
        Qr(token, ec="Q"),
        Text("取件请扫此码 Scan to collect", align="center"),
        Feed(2),
        Cut(),
    )
