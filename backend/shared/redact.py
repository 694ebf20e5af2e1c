"""Keep residents' numbers out of text that leaves the code path: log lines, alert messages.

Full 18-character ID numbers (the last may be X) and mainland mobile numbers are masked wherever
they appear. An ID number is masked as everywhere else (``mask_id_number``: the first four and the
last character); a mobile number keeps its first three and last four digits.
"""

from __future__ import annotations

import re

from devices.idcard.idnumber import mask_id_number

_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def scrub(text: str) -> str:
    """Mask any ID number or mobile number in ``text``."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
