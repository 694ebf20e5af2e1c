"""The phone copy's download link: signed by the station, checked by the platform."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.shared.phone_link import LinkProblem, PhoneLinkError, check_link, make_link
from backend.shared.tokens import generate_signer
from backend.shared.tokens.b64url import b64url_encode

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
CID = "3f0c2b1e-8a4d-4c55-9d3e-2b7a9c1d0e4f"
SIGNER = generate_signer()


def _parts(url: str) -> tuple[str, str, str]:
    split = urlsplit(url)
    query = parse_qs(split.query)
    return split.path.rsplit("/", 1)[1], query["exp"][0], query["sig"][0]


def test_a_link_names_the_certificate_and_checks_until_it_expires() -> None:
    link = make_link(SIGNER, base_url="https://yichuang.example/", certificate_id=CID, now=NOW)
    assert link.url.startswith(f"https://yichuang.example/c/{CID}?exp=")
    assert link.expires_at == NOW + timedelta(minutes=10)
    cid, exp, sig = _parts(link.url)
    check_link(SIGNER.public_key, certificate_id=cid, exp=exp, sig=sig, now=NOW + timedelta(minutes=9))
    with pytest.raises(PhoneLinkError) as late:
        check_link(SIGNER.public_key, certificate_id=cid, exp=exp, sig=sig, now=NOW + timedelta(minutes=10))
    assert late.value.problem is LinkProblem.EXPIRED


def _tampered(what: str) -> tuple[str, str, str]:
    cid, exp, sig = _parts(make_link(SIGNER, base_url="http://p", certificate_id=CID, now=NOW).url)
    other = "0" * 8 + CID[8:]
    return {
        "another certificate": (other, exp, sig),
        "a later expiry": (cid, str(int(exp) + 600), sig),
        "a flipped signature": (cid, exp, ("A" if sig[0] != "A" else "B") + sig[1:]),
        "another station's signature": (cid, exp, b64url_encode(generate_signer().sign(b"x"))),
        "a short signature": (cid, exp, sig[:20]),
    }[what]


@pytest.mark.parametrize("what", ["another certificate", "a later expiry", "a flipped signature",
                                  "another station's signature", "a short signature"])
def test_a_tampered_link_is_refused(what: str) -> None:
    cid, exp, sig = _tampered(what)
    with pytest.raises(PhoneLinkError) as refused:
        check_link(SIGNER.public_key, certificate_id=cid, exp=exp, sig=sig, now=NOW)
    assert refused.value.problem is LinkProblem.BAD_SIGNATURE


@pytest.mark.parametrize("cid,exp,sig", [
    ("../../etc/passwd", "1790000000", "AAAA"),
    (CID, "-5", "AAAA"),
    (CID, "1e9", "AAAA"),
    (CID, "1790000000", "not base64url!"),
    (CID, "1790000000", "AAAA="),
    (CID, "9" * 40, "AAAA"),
])
def test_a_malformed_link_is_refused(cid: str, exp: str, sig: str) -> None:
    with pytest.raises(PhoneLinkError) as refused:
        check_link(SIGNER.public_key, certificate_id=cid, exp=exp, sig=sig, now=NOW)
    assert refused.value.problem is LinkProblem.MALFORMED


def test_a_link_made_to_live_too_long_or_without_a_key_is_refused() -> None:
    eternal = make_link(SIGNER, base_url="http://p", certificate_id=CID, now=NOW, ttl=timedelta(days=30))
    cid, exp, sig = _parts(eternal.url)
    with pytest.raises(PhoneLinkError) as too_long:
        check_link(SIGNER.public_key, certificate_id=cid, exp=exp, sig=sig, now=NOW)
    assert too_long.value.problem is LinkProblem.TOO_LONG
    with pytest.raises(PhoneLinkError) as keyless:
        check_link(None, certificate_id=cid, exp=exp, sig=sig, now=NOW)
    assert keyless.value.problem is LinkProblem.BAD_SIGNATURE
