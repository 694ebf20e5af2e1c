"""Signed sync requests: HTTP Message Signatures (RFC 9421) with Ed25519 over a Content-Digest
(RFC 9530, sha-256).

Every station request carries::

    Content-Digest: sha-256=:<base64 of SHA-256(body)>:
    Signature-Input: sig1=("@method" "@target-uri" "content-digest");created=<unix s>;
                     keyid="<station id>";nonce="<random>";alg="ed25519"
    Signature: sig1=:<base64 Ed25519 signature of the signature base>:

The verifier checks the digest, the covered components, the signature under the key that
``keyid`` names, and that ``created`` is within the window. Remembering nonces (replays) is the
caller's job: it needs shared storage, which this module does not have.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from backend.shared.tokens import EDDSA, SCHEMES, PublicKey, Signer

from .structured import InnerList, Item, StructuredError, parse_dictionary, serialize_inner_list

LABEL = "sig1"
ALGORITHM = "ed25519"
REQUIRED_COMPONENTS = ("@method", "@target-uri", "content-digest")
WINDOW_SECONDS = 300
MAX_NONCE_CHARS = 64


class SignatureError(ValueError):
    """A request's signature is missing or does not hold; ``reason`` says which check failed."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class VerifiedRequest:
    """What a valid signature proves: who signed, when, and the one-time nonce used."""

    keyid: str
    created: int
    nonce: str


def content_digest(body: bytes) -> str:
    """Return the Content-Digest field value (sha-256) of a body."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + ":"


def digest_matches(value: str, body: bytes) -> bool:
    """Return whether a Content-Digest value holds the body's sha-256 (other algorithms ignored)."""
    try:
        members = parse_dictionary(value)
    except StructuredError:
        return False
    member = members.get("sha-256")
    if not isinstance(member, Item) or not isinstance(member.value, bytes):
        return False
    return hmac.compare_digest(member.value, hashlib.sha256(body).digest())


def new_nonce() -> str:
    """Return a fresh random nonce (128 bits, base64url)."""
    return secrets.token_urlsafe(16)


def sign_request(*, method: str, url: str, headers: Mapping[str, str], body: bytes, signer: Signer,
                 keyid: str, created: int, nonce: str | None = None,
                 components: Iterable[str] = REQUIRED_COMPONENTS) -> dict[str, str]:
    """Return the Content-Digest, Signature-Input and Signature headers for a request."""
    fields = {k.lower(): v for k, v in headers.items()}
    fields["content-digest"] = content_digest(body)
    params: dict[str, int | str | bytes | bool] = {"created": created, "keyid": keyid,
                                                   "nonce": nonce or new_nonce(), "alg": ALGORITHM}
    covered = InnerList([Item(c) for c in components], params)
    base = signature_base(covered, method=method, url=url, fields=fields)
    signature = signer.sign(base.encode("utf-8"))
    return {
        "Content-Digest": fields["content-digest"],
        "Signature-Input": f"{LABEL}={serialize_inner_list(covered)}",
        "Signature": f"{LABEL}=:{base64.b64encode(signature).decode('ascii')}:",
    }


def signature_base(covered: InnerList, *, method: str, url: str, fields: Mapping[str, str]) -> str:
    """Build the RFC 9421 signature base for the covered components (fields: lower-case names)."""
    lines = []
    for item in covered.items:
        name = item.value
        if not isinstance(name, str) or item.params:
            raise SignatureError("malformed", "component identifiers are plain strings")
        lines.append(f'"{name}": {_component_value(name, method, url, fields)}')
    lines.append(f'"@signature-params": {serialize_inner_list(covered)}')
    return "\n".join(lines)


def verify_request(*, method: str, url: str, headers: Mapping[str, str], body: bytes,
                   key_for: Callable[[str], PublicKey | None], now: int,
                   window: int = WINDOW_SECONDS,
                   required: Iterable[str] = REQUIRED_COMPONENTS) -> VerifiedRequest:
    """Check a signed request; return who signed it or raise SignatureError."""
    fields = {k.lower(): v for k, v in headers.items()}
    covered, signature = _read_signature(fields)
    missing = [c for c in required if c not in [i.value for i in covered.items]]
    if missing:
        raise SignatureError("missing_component", ", ".join(missing))
    keyid, created, nonce = _read_params(covered)
    if "content-digest" not in fields or not digest_matches(fields["content-digest"], body):
        raise SignatureError("digest_mismatch")
    if abs(now - created) > window:
        raise SignatureError("stale", f"created {created}, now {now}")
    key = key_for(keyid)
    if key is None:
        raise SignatureError("unknown_key", keyid)
    base = signature_base(covered, method=method, url=url, fields=fields)
    if key.alg != EDDSA or not SCHEMES[key.alg].verify(key.spki, base.encode("utf-8"), signature):
        raise SignatureError("bad_signature", keyid)
    return VerifiedRequest(keyid, created, nonce)


def _read_signature(fields: Mapping[str, str]) -> tuple[InnerList, bytes]:
    if "signature-input" not in fields or "signature" not in fields:
        raise SignatureError("missing")
    try:
        inputs = parse_dictionary(fields["signature-input"])
        signatures = parse_dictionary(fields["signature"])
    except StructuredError as err:
        raise SignatureError("malformed", str(err)) from err
    covered, signature = inputs.get(LABEL), signatures.get(LABEL)
    if not isinstance(covered, InnerList):
        raise SignatureError("missing", f"no {LABEL} in Signature-Input")
    if not isinstance(signature, Item) or not isinstance(signature.value, bytes):
        raise SignatureError("missing", f"no {LABEL} in Signature")
    return covered, signature.value


def _read_params(covered: InnerList) -> tuple[str, int, str]:
    keyid, created, nonce = (covered.params.get(n) for n in ("keyid", "created", "nonce"))
    alg = covered.params.get("alg", ALGORITHM)
    if not isinstance(keyid, str) or not keyid:
        raise SignatureError("malformed", "keyid is required")
    if not isinstance(created, int) or isinstance(created, bool):
        raise SignatureError("malformed", "created is required")
    if not isinstance(nonce, str) or not 8 <= len(nonce) <= MAX_NONCE_CHARS:
        raise SignatureError("malformed", "a nonce of 8 to 64 characters is required")
    if alg != ALGORITHM:
        raise SignatureError("malformed", f"alg must be {ALGORITHM}")
    return keyid, created, nonce


def _component_value(name: str, method: str, url: str, fields: Mapping[str, str]) -> str:
    if not name.startswith("@"):
        if name not in fields:
            raise SignatureError("missing_component", name)
        return ", ".join(part.strip() for part in fields[name].split("\n"))
    parts = urlsplit(url)
    derived = {
        "@method": method.upper(),
        "@target-uri": url,
        "@authority": parts.netloc.lower(),
        "@scheme": parts.scheme.lower(),
        "@path": parts.path or "/",
        "@query": "?" + parts.query,
    }
    if name not in derived:
        raise SignatureError("missing_component", f"unsupported derived component {name}")
    return derived[name]
