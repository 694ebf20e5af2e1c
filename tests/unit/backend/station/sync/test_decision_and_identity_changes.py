"""Two kinds of change from the platform: a staff decision on an application (applied with the
page, once) and the platform's identity keys (resident QR codes verify with them afterwards)."""

from __future__ import annotations

from datetime import timedelta

from backend.shared.protocol import Change, ChangeKind, ChangesPage
from backend.shared.resident_qr import mint_resident_qr
from backend.shared.tokens import export_jwks, generate_signer
from backend.station.db.models import Application
from backend.station.runtime import StationRuntime
from backend.station.services.applications import submit_application
from backend.station.services.identity import ResidentQrProvider
from backend.station.services.issuing import IssueRequest
from backend.station.services.sessions import Identity
from backend.station.sync import state
from backend.station.sync.puller import apply_page

from .conftest import NOW, payloads

STUDENT_ID = "46010720080521616X"  # 孙八 in the demo register


def _page(cursor: int, kind: ChangeKind, payload: dict[str, object], scope: str = "district") -> ChangesPage:
    change = Change(cursor=cursor, kind=kind, scope=scope, key="k", payload=payload, created_at=NOW)
    return ChangesPage(changes=[change], next_cursor=cursor, more=False)


def _cursor(runtime: StationRuntime) -> int:
    with runtime.db() as session:
        return int(state.get(session, state.CURSOR, 0))


def test_a_platform_decision_applies_with_its_page_once(runtime: StationRuntime) -> None:
    identity = Identity(id_hash=runtime.keys.protector.lookup_hash(STUDENT_ID), id_masked="4601*************X",
                        name="孙八")
    application = submit_application(runtime.db, ctx=runtime.issuer, catalog=runtime.catalog, identity=identity,
                                     request=IssueRequest(type_code="PKXS", purpose="grant",
                                                          idempotency_key="sync-decision-1",
                                                          resident_fields={"school": "海口市第一中学"}),
                                     now=NOW)
    decision = {"id": application.id, "approve": True, "reason": "", "staff": "cert-staff",
                "decided_at": NOW.isoformat()}
    page = _page(5, ChangeKind.APPLICATION, decision, scope="station:demo-station-1")
    assert apply_page(runtime, page, after=0) == 1
    assert apply_page(runtime, page, after=0) == 0  # the cursor moved with it: not applied twice
    assert _cursor(runtime) == 5
    with runtime.db() as session:
        stored = session.get(Application, application.id)
        assert stored is not None and stored.state == "approved" and stored.certificate_id
    assert [p["outcome"] for p in payloads(runtime, "application.platform_decision")] == ["applied"]
    assert len(payloads(runtime, "certificate.issued")) == 1


def test_identity_keys_from_the_platform_verify_resident_codes(runtime: StationRuntime) -> None:
    platform = generate_signer()
    assert len(runtime.keys.identity_trust()) == 0
    apply_page(runtime, _page(1, ChangeKind.IDENTITY, export_jwks([platform.public_key])), after=0)
    assert [k.kid for k in runtime.keys.identity_trust()] == [platform.kid]
    token = mint_resident_qr(platform, issuer="platform:460107", id_hash="b" * 64, name="王五",
                             id_masked="4601*************6", community_code=runtime.community.code,
                             now=NOW - timedelta(seconds=10))
    provider = ResidentQrProvider(keys=runtime.keys.identity_trust(), community_code=runtime.community.code,
                                  db=runtime.db)
    assert provider.identify(token, now=NOW).name == "王五"
    with runtime.db() as session:  # kept, so a restart restores the file if it was lost
        assert state.get(session, state.IDENTITY) == export_jwks([platform.public_key])
