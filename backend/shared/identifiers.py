"""Certificate identifiers in the form of GB/T 36904 electronic certificates:

    1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>

The check character is ISO 7064 MOD 37,36 (the hybrid system over 0-9A-Z) computed over every
character of the preceding parts with the dots left out, so other e-certificate systems can
exchange and check them.
"""

from __future__ import annotations

import re

PREFIX = "1.2.156.3005.2"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PART = re.compile(r"^[0-9A-Z]+$")


def mod37_36_check(text: str) -> str:
    """Return the ISO 7064 MOD 37,36 check character for alphanumeric text."""
    modulus = 36
    product = modulus
    for char in text.upper():
        value = _ALPHABET.index(char)
        total = (product + value) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return _ALPHABET[(modulus + 1 - product) % modulus]


def mod37_36_valid(text: str) -> bool:
    """Return True if the last character is the right check character for the rest."""
    return len(text) > 1 and mod37_36_check(text[:-1]) == text[-1].upper()


def certificate_identifier(type_code: str, issuer_code: str, serial: str, version: int = 1) -> str:
    """Build the GB/T 36904-style identifier of a certificate."""
    parts = [type_code.upper(), issuer_code.upper(), re.sub(r"[^0-9A-Za-z]", "", serial).upper(),
             f"{version:03d}"]
    for part in parts:
        if not _PART.match(part):
            raise ValueError(f"identifier part {part!r} must be letters and digits")
    body = ".".join([PREFIX, *parts])
    return f"{body}.{mod37_36_check(body.replace('.', ''))}"


def identifier_valid(identifier: str) -> bool:
    """Check the form and the check character of an identifier."""
    if not identifier.startswith(PREFIX + "."):
        return False
    body, _, check = identifier.rpartition(".")
    if len(check) != 1 or len(body.split(".")) != 9:
        return False
    return mod37_36_check(body.replace(".", "")) == check.upper()


def format_serial(year: int, station_code: str, number: int) -> str:
    """Return a serial unique per community and year: ``2026-S01-000123``.

    Each station of a community has its own station code, so stations number offline without
    ever colliding.
    """
    return f"{year}-{station_code}-{number:06d}"
