"""Text that residents and clients send: cleaned and bounded, kept as plain text (HTML is stored as
typed and escaped by whoever renders it), control characters refused; phone numbers checked and
masked; and redaction of numbers that identify a person before anything is shown publicly."""

from __future__ import annotations

import re
import unicodedata

from backend.shared.errors import AppError
from devices.idcard.idnumber import mask_id_number

from . import errors

# Line breaks are fine in a description; other control characters, and the invisible
# direction overrides that can disguise text (Trojan Source), are not.
_ALLOWED_CONTROLS = {"\n"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}$")
_PHONE_FILLERS = re.compile(r"[\s()（）]")
# In shown text: an 11-digit mobile number, an 18-character ID number, a 15-digit old one.
_SENSITIVE = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9]\d{9}|\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def clean_text(value: str, *, max_length: int, required: bool = True) -> str:
    """Return the text normalised (NFC, CRLF → LF, trimmed); refuse control characters."""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    bad = [c for c in text if c in _BIDI or (unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS)]
    if bad:
        raise AppError(errors.BAD_TEXT, detail=f"U+{ord(bad[0]):04X}")
    if required and not text:
        raise AppError(errors.DESCRIPTION_EMPTY)
    if len(text) > max_length:
        raise AppError(errors.DESCRIPTION_TOO_LONG, detail=f"{len(text)} > {max_length}",
                       max_length=max_length)
    return text


def normal_phone(value: str) -> str:
    """Return a mainland mobile or landline number in a canonical form; refuse anything else."""
    text = _PHONE_FILLERS.sub("", unicodedata.normalize("NFKC", value))
    if text.startswith("+86"):
        text = text[3:]
    if MOBILE.fullmatch(text):
        return text
    if LANDLINE.fullmatch(text):
        return text if "-" in text else _split_landline(text)
    raise AppError(errors.BAD_PHONE)


def _split_landline(text: str) -> str:
    # Two-digit area codes are 010 and 02x; all others have four digits (0xxx).
    area = 3 if text[1] in "12" else 4
    return f"{text[:area]}-{text[area:]}"


def mask_phone(phone: str) -> str:
    """Show a phone number with its middle hidden: 138****5678, 010-****5678."""
    if "-" in phone:
        area, number = phone.split("-", 1)
        return f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
    return f"{phone[:3]}****{phone[-4:]}"


def redact(text: str) -> str:
    """Hide mobile and ID numbers a resident typed, for anything shown publicly."""
    return _SENSITIVE.sub(_hidden, text)


def _hidden(found: re.Match[str]) -> str:
    number = found.group(0)
    if len(number) == 11:  # a mobile number
        return mask_phone(number)
    return mask_id_number(number)  # as on every screen and paper: the first four and the last
