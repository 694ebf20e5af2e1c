"""GB/T 36904-style certificate identifiers and their ISO 7064 MOD 37,36 check character."""

from __future__ import annotations

import pytest

from backend.shared.identifiers import (
    certificate_identifier,
    format_serial,
    identifier_valid,
    mod37_36_check,
    mod37_36_valid,
)


def test_check_character_matches_the_iso_7064_example() -> None:
    # ISO 7064's own MOD 37,36 example.
    assert mod37_36_check("A12425GABC1234002") == "M"
    assert mod37_36_valid("A12425GABC1234002M")


@pytest.mark.parametrize("position", range(17))
def test_any_single_changed_character_is_caught(position: int) -> None:
    good = "A12425GABC1234002M"
    for replacement in "0Z":
        if good[position] == replacement:
            continue
        changed = good[:position] + replacement + good[position + 1:]
        assert not mod37_36_valid(changed)


def test_identifier_has_the_gb_t_36904_form_and_checks() -> None:
    serial = format_serial(2026, "S01", 7)
    assert serial == "2026-S01-000007"
    identifier = certificate_identifier("JZZM", "11460107MB1234567X", serial)
    parts = identifier.split(".")
    assert parts[:5] == ["1", "2", "156", "3005", "2"]
    assert parts[5:9] == ["JZZM", "11460107MB1234567X", "2026S01000007", "001"]
    assert identifier_valid(identifier)
    assert not identifier_valid(identifier[:-1] + ("0" if identifier[-1] != "0" else "1"))
    assert not identifier_valid(identifier.replace("JZZM", "ZZZM"))


def test_identifier_parts_must_be_alphanumeric() -> None:
    with pytest.raises(ValueError):
        certificate_identifier("JZ.ZM", "X", "1")
