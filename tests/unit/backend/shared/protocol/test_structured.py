"""The RFC 8941 subset used by signature fields: what it reads, and what it refuses."""

from __future__ import annotations

import pytest

from backend.shared.protocol.structured import (
    InnerList,
    Item,
    StructuredError,
    Token,
    parse_dictionary,
    serialize_dictionary,
)


def test_reads_a_signature_input_member() -> None:
    parsed = parse_dictionary('sig1=("@method" "content-digest");created=12;keyid="a \\"b\\"";flag')
    member = parsed["sig1"]
    assert isinstance(member, InnerList)
    assert [i.value for i in member.items] == ["@method", "content-digest"]
    assert member.params == {"created": 12, "keyid": 'a "b"', "flag": True}


def test_reads_several_members_and_byte_sequences() -> None:
    parsed = parse_dictionary("a=:AQID:, b=?0,c=tok/en;x=-5, d")
    assert parsed == {"a": Item(b"\x01\x02\x03"), "b": Item(False), "c": Item(Token("tok/en"), {"x": -5}),
                      "d": Item(True)}


def test_round_trips_canonically() -> None:
    text = 'sig1=("@method" "@target-uri");created=1;keyid="k";alg="ed25519", sig2=:AQID:'
    assert serialize_dictionary(parse_dictionary(text)) == text


@pytest.mark.parametrize("text", [
    "Sig=1", "a=(", 'a="open', "a=1.5", "a=:!!:", "a=1,", "a=@", 'a="\\x"', "a=(1,2)", "a=?2",
    'a="\x01"', "a=:AQID",
], ids=["upper-key", "open-list", "open-string", "decimal", "bad-base64", "trailing-comma",
        "bad-item", "bad-escape", "comma-in-list", "bad-boolean", "control-char", "open-bytes"])
def test_refuses_malformed_fields(text: str) -> None:
    with pytest.raises(StructuredError):
        parse_dictionary(text)
