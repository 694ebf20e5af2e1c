"""The test-automation hook's routes (only with an automation port; see ``kiosk.automation`` for
the server and kiosk/README.md for the routes): the state without personal data, the visible
widgets, the clock, screenshots, keyboards, switching the language and mode, and a reset between
tests. Every call runs on the Kivy thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.automation import AutomationServer
from kiosk.clock import MonotonicClock
from kiosk.dialogs import EntryKind
from kiosk.i18n import N_, translator
from kiosk.visit.flow import KioskFlow
from kiosk.visit.snapshot import snapshot

from .inspect import describe
from .overlays import Overlays
from .root import KioskRoot
from .screenshots import screenshot
from .timing import Timings
from .voice import VoicePlayer


class HookedApp(Protocol):
    """What the hook reads and drives of the Kivy app (``kivy_app.KioskApp``)."""

    flow: KioskFlow
    clock: MonotonicClock
    timings: Timings
    voice: VoicePlayer
    kiosk_root: KioskRoot | None
    overlays: Overlays | None

    def tick(self, _dt: float) -> None: ...


class AutomationHook:
    """Serves the routes on 127.0.0.1:``port``; ``publish`` keeps the state its readers get."""

    def __init__(self, app: HookedApp, port: int) -> None:
        self.app = app
        self._published: dict[str, Any] | None = None  # refreshed by the UI thread
        self.server = AutomationServer(port, self.routes(), run_on_ui, direct=frozenset({("GET", "/state")}))

    def start(self) -> None:
        self.publish()
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def routes(self) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
        return {
            ("GET", "/state"): self._state,
            ("GET", "/widgets"): lambda body: describe(Window, all_screens=body.get("all") == "1"),
            ("POST", "/clock/advance"): self._advance,
            ("POST", "/screenshot"): lambda body: {"path": screenshot(Path(body["path"]))},
            ("POST", "/entry"): self._open_entry,
            ("POST", "/entry/key"): lambda body: self._overlays().press_key(str(body["code"])),
            ("POST", "/look"): self._look,
            ("POST", "/reset"): self._reset,
        }

    def _state(self, body: dict[str, Any]) -> dict[str, Any]:
        """The state as last published (on the hook's thread); with ``widgets=1`` the visible
        widgets too, read on the UI thread with the state (one call for both)."""
        if body.get("widgets") == "1":
            return dict(run_on_ui(lambda: {**self.automation_state(), "widgets": describe(Window)}))
        return self._published or dict(run_on_ui(self.automation_state))

    def publish(self) -> None:
        """Keep the state for the hook's readers (a fresh dict each time: never changed after)."""
        self._published = self.automation_state()

    def _reset(self, body: dict[str, Any]) -> dict[str, Any]:
        """End any visit and start afresh in Chinese on home (or ``{"screen": "attract"}``), as the
        next resident would find it: tests share one running kiosk this way."""
        translator.set_lang(str(body.get("lang", "zh_CN")))
        if body.get("screen") == "attract":
            self.app.flow.attract()
        else:
            self.app.flow.end_visit()
        return self.automation_state()

    def _look(self, body: dict[str, Any]) -> dict[str, Any]:
        """Switch language and mode at once (the walk checks a screen four ways; the top bar's
        buttons themselves are tapped for real elsewhere). Returns when it switched: the test
        waits for a frame drawn after that before it looks."""
        translator.set_lang(str(body["lang"]))
        if bool(body["elderly"]) != self.app.flow.state.elderly:
            self.app.flow.toggle_elderly()
        return {"switched_at": time.time()}

    def _overlays(self) -> Overlays:
        if self.app.overlays is None:
            raise ValueError("the UI is not built yet")
        return self.app.overlays

    def _open_entry(self, body: dict[str, Any]) -> dict[str, Any]:
        """Open a keyboard as a later screen would (tests walk the keyboards this way)."""
        self.app.flow.open_entry(EntryKind(body["kind"]), N_("Please type here"), "test")
        return self.automation_state()

    def automation_state(self) -> dict[str, Any]:
        root = self.app.kiosk_root
        return {"screen": root.ids.screens.current if root else None, "flow": snapshot(self.app.flow),
                "lang": translator.lang, "timings": self.app.timings.as_dict(), "voice": self.app.voice.last,
                "window": {"left": Window.left, "top": Window.top, "width": Window.width,
                           "height": Window.height}}

    def _advance(self, body: dict[str, Any]) -> dict[str, Any]:
        self.app.clock.advance(float(body["seconds"]))
        self.app.tick(0)
        return self._published or self.automation_state()


def run_on_ui(call: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Run ``call`` on the Kivy thread and return its result (from any other thread)."""
    done = threading.Event()
    box: dict[str, Any] = {}

    def scheduled(_dt: float) -> None:
        try:
            box["value"] = call()
        except Exception as err:  # handed back to the calling thread
            box["error"] = err
        finally:
            done.set()

    Clock.schedule_once(scheduled, 0)
    if not done.wait(timeout):
        raise TimeoutError("the UI thread did not answer")
    if "error" in box:
        raise box["error"]
    return box.get("value")
