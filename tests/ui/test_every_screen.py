"""Every screen of the kiosk, in both languages and both modes (normal and 长辈模式), reached the
way a resident reaches it — real taps under Xvfb against the real station and simulators — and
checked for clipped or overflowing text, text size, touch-target size and overlaps. Language and
mode switch live (the top bar is always there), so one journey shows each screen four ways; a
screenshot of each lands in test-artifacts/ui/screens/. Along the way: a printer that runs out of
paper mid-journey, and the idle timeout with a dialog open."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support.stack import Simulators, Station

from .test_verify_journey import altered, printed_token

pytestmark = pytest.mark.ui

COMBOS = [("zh_CN", False), ("en", False), ("en", True), ("zh_CN", True)]  # one touch apart
PICTURED = {("zh_CN", False)}  # every combination is checked; the default one is kept as a PNG


class Walk:
    def __init__(self, ui: Any, sims: Simulators) -> None:
        self.ui, self.sims = ui, sims
        self.problems: dict[str, list[str]] = {}
        self.shots = 0
        self._top_bar: dict[tuple[str, bool], str] = {}  # the top bar's buttons stay put per mode

    def set(self, lang: str, elderly: bool) -> None:
        """Switch language and mode with the top bar's buttons."""
        state = self.ui.state()
        if state["lang"] != lang:
            self._top_bar_tap(f"lang_{lang}", state["flow"]["elderly"])
            state = self.ui.wait(lambda s: s["lang"] == lang, lang)
        if state["flow"]["elderly"] != elderly:
            self._top_bar_tap("elderly_toggle", state["flow"]["elderly"])
            self.ui.wait(lambda s: s["flow"]["elderly"] == elderly, "the mode")

    def _top_bar_tap(self, widget: str, elderly: bool) -> None:
        if (widget, elderly) not in self._top_bar:
            self.ui.tap(widget)
            self._top_bar[(widget, elderly)] = self.ui.taps[-1]["at"]
            return
        self.ui.click(self._top_bar[(widget, elderly)], widget)

    def look(self, lang: str, elderly: bool) -> None:
        """Switch language and mode through the hook and wait for a frame drawn after it: the
        top bar's buttons are touched for real in ``set``; here only the screen's layout counts."""
        state = self.ui.state()
        if (state["lang"], state["flow"]["elderly"]) == (lang, elderly):
            return
        switched = self.ui.call("POST", "/look", {"lang": lang, "elderly": elderly})["switched_at"]
        self.ui.wait(lambda s: (s["timings"]["last_frame"] or 0) > switched, "a frame after the switch")

    def check(self, name: str, opened: Callable[[], None] | None = None,
              closed: Callable[[], None] | None = None) -> None:
        """Check the screen shown now four ways (``opened``/``closed``: an overlay that covers
        the top bar is opened after each switch and closed before the next). The order snakes,
        so each switch is one touch."""
        state = self.ui.state()
        now = (state["lang"], state["flow"]["elderly"])
        order = COMBOS[COMBOS.index(now):] + COMBOS[:COMBOS.index(now)]
        for lang, elderly in order:
            self.set(lang, elderly)
            if opened:
                opened()
            self.ui.wait(lambda s: s["flow"]["busy"] is None or name == "printing", name)
            label = f"{name}-{'elderly' if elderly else 'normal'}-{lang}"
            problems = self.ui.settled_problems()
            if problems:
                self.problems[label] = problems
            if (lang, elderly) in PICTURED:
                self.ui.screenshot(f"screens/{label}")
                self.shots += 1
            if closed:
                closed()

    def go(self, widget: str, screen: str) -> None:
        self.ui.tap(widget)
        self.ui.wait_screen(screen)


@pytest.mark.timeout(300)  # about 70 s on an idle 2-core machine, twice that under load
def test_every_screen_in_both_languages_and_modes(kiosk_ui: Any, running_station: Station,
                                                   sims: Simulators) -> None:
    ui = kiosk_ui
    shutil.rmtree(ui.artifacts / "screens", ignore_errors=True)  # no stale pictures
    genuine = printed_token(running_station, sims)
    walk = Walk(ui, sims)
    state = ui.wait_screen("home")  # the card placed for printed_token woke the kiosk
    ui.advance(state["flow"]["auto_remaining"] + 0.5)  # untouched, home falls asleep again
    ui.wait_screen("attract")
    walk.check("attract")
    walk.set("zh_CN", False)
    ui.wake()
    ui.wait(lambda s: not ui.widget("tile_certificates")["disabled"], "the certificate tile")
    walk.check("home")
    for tile, screen in (("tile_help", "help"), ("tile_notices", "notices")):
        walk.set("zh_CN", False)  # (elderly mode shows four tiles: these two are left out)
        walk.go(tile, screen)
        walk.check(screen)
        walk.go("nav_back", "home")
    walk.sims.fault("printer", "paper_out")  # out of service, explained on the tile and on a touch
    paused = {"打印机缺纸，暂停服务", "Paused: the printer is out of paper"}
    ui.wait(lambda s: bool(paused & {w["text"] for w in ui.widgets()}), "the paused tile")
    walk.check("home-paused")
    dialog(walk, "unavailable", lambda: ui.tap("tile_certificates"))
    walk.sims.clear("printer")
    ui.wait(lambda s: not paused & {w["text"] for w in ui.widgets()}, "the tile back")
    keyboards(walk)
    verify_screens(walk, genuine)
    certificate_journey(walk)
    idle_with_a_dialog_open(walk)
    assert walk.shots >= 24
    assert walk.problems == {}, "\n".join(f"{k}: {v}" for k, v in walk.problems.items())


def dialog(walk: Walk, code: str, open_it: Callable[[], None]) -> None:
    ui = walk.ui

    def opened() -> None:
        open_it()
        ui.wait(lambda s: s["flow"]["dialog"] == code, f"the {code} dialog")

    def closed() -> None:
        if ui.state()["flow"]["dialog"]:
            ui.tap("dialog_close")
            ui.wait(lambda s: s["flow"]["dialog"] is None, "the dialog closed")

    walk.check(f"dialog-{code}", opened, closed)


def keyboards(walk: Walk) -> None:
    ui = walk.ui
    for kind, keys in (("pinyin", "shequ"), ("english", "room"), ("phone", "1380013"),
                       ("month", "20240")):
        def opened(kind: str = kind, keys: str = keys) -> None:
            ui.call("POST", "/entry", {"kind": kind})
            ui.wait(lambda s: s["flow"]["entry"] == kind, f"the {kind} keyboard")
            for key in keys:
                ui.call("POST", "/entry/key", {"code": key})

        def closed() -> None:
            ui.tap("entry_cancel")
            ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")

        walk.check(f"keyboard-{kind}", opened, closed)


def verify_screens(walk: Walk, genuine: str) -> None:
    ui, sims = walk.ui, walk.sims
    walk.set("zh_CN", False)
    walk.go("tile_verify", "scan_code")
    walk.check("scan_code")
    for token, verdict in ((genuine, "genuine"), (altered(genuine), "tampered")):
        sims.call("POST", "/devices/scanner/scan", {"text": token})
        ui.wait(lambda s, v=verdict: s["flow"]["verdict"] == v, verdict)
        walk.check(f"verify_result-{verdict}")
        walk.go("verify_again", "scan_code")
    walk.go("nav_home", "home")


def certificate_journey(walk: Walk) -> None:
    ui, sims = walk.ui, walk.sims
    walk.set("zh_CN", False)
    walk.go("tile_certificates", "wait_card")
    walk.check("wait_card")
    walk.go("simulate_card", "identity")
    walk.check("identity")
    dialog(walk, "cancel_visit", lambda: ui.tap("nav_home"))  # leaving would clear: it asks
    walk.go("identity_confirm", "choose_type")
    walk.check("choose_type")
    walk.check("idle_warning", lambda: ui.advance(max(0.0, ui.state()["flow"]["idle_remaining"] - 10)))
    walk.go("type_JZZM", "choose_purpose")  # a touch answers the warning
    walk.check("choose_purpose")
    walk.go("purpose_school", "confirm")
    walk.check("confirm")
    sims.fault("printer", "paper_out")  # the printer runs out of paper mid-journey
    ui.tap("confirm_print")
    state = ui.wait_screen("error", timeout=30)
    assert state["flow"]["problem"] == "printer.media_empty"
    walk.check("error")
    sims.clear("printer")
    sims.fault("printer", "slow", bytes_per_second=250)
    ui.tap("action_retry")
    ui.wait(lambda s: s["screen"] == "printing", "printing")
    walk.check("printing")
    sims.clear("printer")
    state = ui.wait_screen("done", timeout=60)
    assert state["flow"]["certificate_state"] == "printed"
    serial = state["flow"]["serial"]
    ui.wait(lambda s: receipts_with(sims, serial) == 1,
            f"the receipt, printed once: {[(j['id'], j['status'], j['reason']) for j in sims.jobs()]}",
            timeout=30)
    walk.check("done")
    walk.go("done_finish", "rate")
    walk.check("rate")
    ui.tap("rate_2")  # a bad level: the reasons that fit it show
    ui.wait(lambda s: s["flow"]["rating"]["level"] == 2, "the level chosen")
    walk.check("rate-level")
    ui.tap("rate_send")
    ui.wait_screen("thanks")
    walk.check("thanks")
    ui.tap("thanks_home")
    ui.wait_screen("home")


def receipts_with(sims: Simulators, serial: str) -> int:
    """How many receipts the simulated printer printed with ``serial`` on them. (Counted whether
    the job record says complete or not: with the slow-printer fault still on, the station's
    closing status query can arrive cut, and the simulator then records the job as aborted
    after the whole receipt was printed.)"""
    folder = Path(sims.endpoints["jobs_dir"])
    texts = [folder / f"{j['id']:04d}.txt" for j in sims.jobs()]
    return sum(serial in t.read_text(encoding="utf-8") for t in texts if t.exists())


def idle_with_a_dialog_open(walk: Walk) -> None:
    ui = walk.ui
    walk.set("zh_CN", True)
    walk.go("tile_certificates", "wait_card")
    walk.go("simulate_card", "identity")
    ui.tap("nav_home")
    ui.wait(lambda s: s["flow"]["dialog"] == "cancel_visit", "the question")
    state = ui.advance(ui.state()["flow"]["idle_remaining"] - 15)
    assert state["flow"]["dialog"] == "cancel_visit"
    assert ui.widget("idle_warning")["on_screen"]  # above the dialog
    ui.screenshot("14-idle-warning-over-dialog-elderly")
    ui.advance(15.5)
    state = ui.wait_screen("home")
    assert state["flow"]["dialog"] is None and not state["flow"]["has_session"]
    assert not state["flow"]["elderly"]  # the next resident starts in the normal mode
    assert "张三" not in " ".join(w["text"] for w in ui.call("GET", "/widgets?all=1"))
