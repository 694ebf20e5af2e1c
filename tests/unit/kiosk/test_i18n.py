"""Every msgid the kiosk uses (``_()``, ``N_()`` and ``tr._()`` in its .py and .kv sources) has a
Chinese and an English translation with the same placeholders; catalogs hold nothing stale."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import kiosk.visit.flow
from kiosk.i18n import LANGUAGES, Translator, language_labels, load_catalogs

SOURCE = Path(kiosk.visit.flow.__file__).parents[1]  # (kiosk.__file__ is None while the editable install maps a namespace)
KV_CALL = re.compile(r"""\b_\(\s*(?P<q>["'])(?P<msgid>.*?)(?<!\\)(?P=q)\s*\)""")


def msgids_in_python(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        first = node.args[0]
        if name in ("_", "N_") and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def msgids_in_kv(path: Path) -> set[str]:
    return {m.group("msgid") for m in KV_CALL.finditer(path.read_text(encoding="utf-8"))}


def used_msgids() -> dict[str, set[str]]:
    """Return {msgid: files using it} over kiosk/."""
    used: dict[str, set[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")) + sorted(SOURCE.rglob("*.kv")):
        found = msgids_in_python(path) if path.suffix == ".py" else msgids_in_kv(path)
        for msgid in found:
            used.setdefault(msgid, set()).add(str(path.relative_to(SOURCE)))
    return used


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


CATALOGS = load_catalogs()
USED = used_msgids()


def test_the_scan_finds_msgids_in_both_kinds_of_source() -> None:
    files = set().union(*USED.values())
    assert any(f.endswith(".kv") for f in files) and any(f.endswith(".py") for f in files)
    assert "Back" in USED and "Certificates" in USED


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_used_msgid_is_translated(lang: str) -> None:
    missing = sorted(m for m in USED if not CATALOGS[lang].get(m, "").strip())
    assert missing == [], f"{lang} lacks: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = {m: t for m, t in CATALOGS[lang].items() if placeholders(m) != placeholders(t)}
    assert wrong == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogs_hold_no_stale_entries(lang: str) -> None:
    assert sorted(set(CATALOGS[lang]) - set(USED)) == []


def test_chinese_is_really_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    not_chinese = sorted(m for m, t in CATALOGS["zh_CN"].items() if not cjk.search(t))
    assert not_chinese == []


def test_language_labels_are_in_their_own_script() -> None:
    assert language_labels() == {"zh_CN": "中文", "en": "English"}


def test_switching_language_tells_listeners_and_translates() -> None:
    core = Translator(CATALOGS)
    heard: list[str] = []
    core.add_listener(heard.append)
    assert core.gettext("Back") == "返回"
    core.set_lang("en")
    assert heard == ["en"] and core.gettext("Back") == "Back"
    core.set_lang("en")  # no change, no news
    assert heard == ["en"]
    with pytest.raises(ValueError):
        core.set_lang("fr")


def test_a_missing_translation_falls_back_to_the_msgid() -> None:
    assert Translator(CATALOGS).gettext("No such text") == "No such text"
