"""Signed requests with the station's identity remembered: a re-enrolled station is heard at once."""

from __future__ import annotations

import pytest

from backend.platform.api.deps import _verify
from backend.platform.runtime import PlatformRuntime
from backend.shared.errors import AppError
from backend.shared.protocol import sign_request
from backend.shared.tokens import ExportableSigner, generate_signer

from .conftest import enrolled, reenrol

URL = "http://platform/api/sync/heartbeat"


def _signed(runtime: PlatformRuntime, signer: ExportableSigner, nonce_body: bytes) -> dict[str, str]:
    headers = {"content-type": "application/json"}
    return headers | {k.lower(): v for k, v in sign_request(
        method="POST", url=URL, headers=headers, body=nonce_body, signer=signer, keyid="st-01",
        created=int(runtime.clock.now().timestamp())).items()}


def test_a_new_key_is_accepted_and_the_old_one_refused_though_remembered(runtime: PlatformRuntime) -> None:
    old = generate_signer()
    enrolled(runtime, signer=old)
    assert _verify(runtime, "POST", URL, _signed(runtime, old, b"{}"), b"{}").id == "st-01"
    assert runtime.identities.peek("st-01") is not None  # remembered now
    new = generate_signer()
    reenrol(runtime, signer=new)  # as if through another worker: this worker's memory is stale
    assert _verify(runtime, "POST", URL, _signed(runtime, new, b"{}"), b"{}").id == "st-01"
    with pytest.raises(AppError) as refused:
        _verify(runtime, "POST", URL, _signed(runtime, old, b"{}"), b"{}")
    assert refused.value.code == "sync.signature_invalid"
