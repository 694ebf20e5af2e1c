"""Every refusal has a stable code with a message for a resident in Chinese and English."""

from __future__ import annotations

import pytest

from backend.shared.errors import ERRORS, AppError
from backend.shared.tokens import Reason, TokenError


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_is_a_registered_code(reason: Reason) -> None:
    spec = ERRORS[f"token.{reason.value}"]
    assert spec.status == 422
    assert spec.zh and spec.en
    assert any("\u4e00" <= char <= "\u9fff" for char in spec.zh)
    assert spec.zh != spec.en


def test_codes_are_the_documented_ones() -> None:
    assert {f"token.{reason}" for reason in Reason} == {
        "token.malformed", "token.bad_prefix", "token.not_base45", "token.too_large",
        "token.not_cose", "token.unsupported_alg", "token.unknown_key", "token.bad_signature",
        "token.expired", "token.not_yet_valid",
    }


def test_token_error_is_an_app_error_with_reason_and_detail() -> None:
    error = TokenError(Reason.EXPIRED, "expired at 1780000000")
    assert isinstance(error, AppError)
    assert (error.reason, error.code, error.status) == (Reason.EXPIRED, "token.expired", 422)
    body = error.as_dict()
    assert body["code"] == "token.expired"
    assert body["message"]["zh"] == ERRORS["token.expired"].zh
    assert body["detail"] == "expired at 1780000000"
