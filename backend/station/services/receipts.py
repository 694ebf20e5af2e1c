"""What a printed certificate looks like, as a receipt document any printer profile can lay out."""

from __future__ import annotations

from backend.shared.catalog import CertificateType
from backend.shared.certificate_copy import certificate_page, certificate_text
from backend.shared.certificate_copy import local_time as _local
from devices.printer.document import Block, Cut, Document, Feed, KeyValue, Qr, Separator, Text, Title

from ..db.models import Application, Certificate

__all__ = ["application_slip", "certificate_page", "certificate_receipt", "certificate_text"]


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
