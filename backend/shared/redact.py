"""Keep residents' numbers out of text that leaves the code path: log lines, alert messages.

Full 18-character ID numbers (the last may be X) and mainland mobile numbers are masked wherever
they appear; a masked number keeps its region and its last four characters, which is enough to
tell two records apart and never enough to identify a person.
"""

from __future__ import annotations

import re

_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def scrub(text: str) -> str:
    """Mask any ID number or mobile number in ``text``."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
