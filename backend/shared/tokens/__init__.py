"""Signed certificate tokens for QR codes, verifiable offline (the EU DCC design).

    claims (CWT, RFC 8392) -> CBOR -> COSE_Sign1 (RFC 9052, Ed25519) -> zlib -> base45
    (RFC 9285) -> "PREFIX:"

``encode_token`` / ``decode_token`` / ``inspect_token`` are the entry points; keys come from
``generate_signer`` / ``load_signer`` (issuer) and ``import_jwks`` (verifier). Every refusal
is a ``TokenError`` whose ``reason`` (and ``code``, ``token.<reason>``) says why.
"""

from .codec import (
    MAX_COSE_BYTES,
    MAX_TOKEN_CHARS,
    TokenContents,
    VerifiedToken,
    decode_token,
    encode_token,
    inspect_token,
)
from .ed25519 import Ed25519Signer  # importing it registers the Ed25519 scheme
from .errors import Reason, TokenError
from .jwks import JwksError, export_jwks, import_jwks
from .keyfiles import KeyFileError, generate_signer, load_signer, save_signer
from .signing import (
    EDDSA,
    SCHEMES,
    ExportableSigner,
    KeyBinding,
    KeySet,
    PublicKey,
    Scheme,
    Signer,
    compute_kid,
    get_scheme,
    register_scheme,
)

__all__ = [
    "EDDSA",
    "MAX_COSE_BYTES",
    "MAX_TOKEN_CHARS",
    "SCHEMES",
    "Ed25519Signer",
    "ExportableSigner",
    "JwksError",
    "KeyBinding",
    "KeyFileError",
    "KeySet",
    "PublicKey",
    "Reason",
    "Scheme",
    "Signer",
    "TokenContents",
    "TokenError",
    "VerifiedToken",
    "compute_kid",
    "decode_token",
    "encode_token",
    "export_jwks",
    "generate_signer",
    "get_scheme",
    "import_jwks",
    "inspect_token",
    "load_signer",
    "register_scheme",
    "save_signer",
]
