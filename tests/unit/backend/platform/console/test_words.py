"""The console's words: every key has Chinese and English, every literal key a template uses
exists, and error codes come with the messages the API defined."""

from __future__ import annotations

import re
from pathlib import Path

from backend.platform.console.i18n import WORDS, error_words, words
from backend.platform.console.render import TEMPLATES

LITERAL = re.compile(r"""\bt\('([a-z_.]+)'\)""")


def test_every_key_has_both_languages() -> None:
    assert all(zh.strip() and en.strip() for zh, en in WORDS.values())


def test_every_literal_key_in_the_templates_exists() -> None:
    used = {key for path in Path(TEMPLATES).glob("*.html") for key in LITERAL.findall(path.read_text())}
    assert used and not used - WORDS.keys(), sorted(used - WORDS.keys())


def test_lookups_fall_back_without_failing() -> None:
    assert words("zh", "nav.fleet") == "站点总览" and words("en", "nav.fleet") == "Fleet"
    assert words("en", "code.SOMETHING_NEW") == "SOMETHING_NEW"  # shown as itself, never a crash
    assert error_words("zh", "auth.forbidden") == "您没有权限进行此操作。"
    assert error_words("en", "no.such.code") is None
