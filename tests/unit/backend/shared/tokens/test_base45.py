"""Base45 against RFC 9285's own examples, its invalid inputs, and a round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.shared.tokens import base45
from backend.shared.tokens.base45 import Base45Error

# RFC 9285 §4.3 (encoding examples) and §4.4 (decoding example).
RFC_EXAMPLES = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("data", "text"), RFC_EXAMPLES)
def test_encode_matches_rfc(data: bytes, text: str) -> None:
    assert base45.encode(data) == text


@pytest.mark.parametrize(("data", "text"), RFC_EXAMPLES)
def test_decode_matches_rfc(data: bytes, text: str) -> None:
    assert base45.decode(text) == data


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("GGW", "triplet decodes to 65536"),
        ("ZZZZZZ", "triplets decode to 72485"),
        ("::", "pair decodes to 2024, more than one byte"),
        ("A", "length 3n+1"),
        ("BB8B", "length 3n+1"),
        ("bb8", "lower case is not in the alphabet"),
        ("BB#", "'#' is not in the alphabet"),
        ("BB\n", "a line terminator is not in the alphabet"),
        ("中文", "non-ASCII"),
    ],
)
def test_decode_rejects_invalid_text(text: str, why: str) -> None:
    with pytest.raises(Base45Error):
        base45.decode(text)


def test_largest_values_still_decode() -> None:
    assert base45.decode("FGW") == b"\xff\xff"  # 65535 = 15 + 16*45 + 32*45*45
    assert base45.decode("U5") == b"\xff"


@given(st.binary(max_size=600))
def test_round_trip(data: bytes) -> None:
    text = base45.encode(data)
    assert set(text) <= set(base45.ALPHABET)
    assert base45.decode(text) == data
