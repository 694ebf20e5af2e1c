"""Machine text a station or the platform writes (a service reason, a component's detail, an
alert's detail, an event's type) said in the console's words: a person never reads a raw code.
Text nobody wrote words for is not shown (the code beside it already says what it is), except
what staff typed themselves (a suspension reason), which is theirs."""

from __future__ import annotations

import re
from collections.abc import Callable

from .i18n import WORDS, error_words, words

_BLOCKING = re.compile(r"^\s*(?P<service>[a-z_]+):\s*(?P<reason>[a-z]*)\s*(?P<rest>.*)$")
_OUTBOX = re.compile(r"^(?P<depth>\d+) unsent, oldest (?P<age>\d+) s$")
_SILENT = re.compile(r"^no heartbeat for (?P<seconds>\d+) s$")
_REPORTS = re.compile(r"^(?P<part>[a-z_]+) reports (?P<code>[A-Z_]+)$")


def _known(lang: str, key: str) -> str:
    return words(lang, key) if key in WORDS else ""


def service_reason(lang: str, reason: str | None) -> str:
    """'certificates: consumables printer=MEDIA_EMPTY; verify: hardware scanner=NOT_REACHABLE'
    → '出具证明：耗材 · 热敏打印机 缺纸；…'. A reason staff typed (a suspension) is shown as typed."""
    if not reason:
        return ""
    if reason == "suspended":
        return words(lang, "service.SUSPENDED")
    said = []
    for part in reason.split(";"):
        found = _BLOCKING.match(part)
        if not found or f"svc.{found['service']}" not in WORDS:
            return reason  # not the station's own summary: what staff typed when suspending
        causes = []
        for item in filter(None, re.split(r"[,\s]+", found["rest"])):
            component, _, code = item.partition("=")
            said_code = _known(lang, f"code.{code}") or code_word(lang)
            causes.append(f"{component_name(lang, component)} {said_code}" if code
                          else _known(lang, f"detail.{item}"))
        head = words(lang, f"svc.{found['service']}")
        why = _known(lang, f"svc_reason.{found['reason']}")
        listed = ("、" if lang != "en" else ", ").join(c for c in causes if c)
        said.append(head + _colon(lang) + why + (" · " + listed if listed else ""))
    return ("；" if lang != "en" else "; ").join(said)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def component_name(lang: str, component: str) -> str:
    return _known(lang, f"component.{component}") or words(lang, "component.other")


def code_word(lang: str) -> str:
    return words(lang, "code.other")


def component_detail(lang: str, detail: str | None) -> str:
    """A device's detail ('no card', 'out of paper') in words, or nothing."""
    return _known(lang, f"detail.{(detail or '').strip().lower()}")


def alert_detail(lang: str, kind: str, detail: str | None) -> str:
    """An alert's detail in words, or nothing when the kind already says it all."""
    text = (detail or "").strip()
    if not text:
        return ""
    if found := _OUTBOX.match(text):
        return words(lang, "alertd.outbox").format(depth=found["depth"], age=found["age"])
    if found := _SILENT.match(text):
        return words(lang, "alertd.silent").format(seconds=found["seconds"])
    if found := _REPORTS.match(text):
        return component_name(lang, found["part"]) + _colon(lang) + _known(lang, "code." + found["code"])
    if kind == "part_out_of_service":
        parts = [p.split(":", 1)[0].strip() for p in text.split(";")]
        return ("、" if lang != "en" else ", ").join(component_name(lang, p) for p in parts if p)
    if kind.endswith("_fault"):  # "<code> for <seconds> s": see services.alerts.evaluate_faults
        code, _, rest = text.partition(" for ")
        seconds = rest.removesuffix(" s")
        said = _known(lang, f"code.{code}")
        return words(lang, "alertd.fault").format(code=said, seconds=seconds) if said and seconds.isdigit() \
            else said
    return _known(lang, f"detail.{text.lower()}")


def event_type(lang: str, kind: str) -> str:
    return _known(lang, f"event.{kind}") or words(lang, "event.other")


def refusal(lang: str, code: str) -> str:
    """A command's refusal code (from the station) in words; never the code itself."""
    if not code:
        return ""
    # The console's own wording first: it says what staff can do (the station's says it to a resident).
    return _known(lang, f"refusal.{code}") or error_words(lang, code) or words(lang, "refusal.other")


def helpers(lang: str) -> dict[str, Callable[..., str]]:
    """The functions pages use, bound to the page's language."""
    return {"service_reason": lambda r: service_reason(lang, r),
            "component_detail": lambda d: component_detail(lang, d),
            "alert_detail": lambda a: alert_detail(lang, str(a.get("kind", "")), a.get("detail")),
            "event_type": lambda k: event_type(lang, k), "refusal": lambda c: refusal(lang, str(c))}
