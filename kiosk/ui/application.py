"""The Kivy app: builds the root and the screens, renders the flow's state, runs its timers,
feeds touches to the idle timer, and (only when asked) serves the test-automation hook."""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.automation import AutomationServer
from kiosk.client import EventListener, StationClient
from kiosk.clock import MonotonicClock
from kiosk.dialogs import EntryKind
from kiosk.flow import KioskFlow, Step
from kiosk.i18n import N_, _, translator
from kiosk.runner import ThreadRunner
from kiosk.screens import SCREENS, KioskScreen, build_screen

from . import liveness, theme
from .inspect import describe
from .overlays import Overlays
from .root import KioskRoot, load_kv
from .style import S
from .timing import Timings
from .voice import VoicePlayer

log = logging.getLogger(__name__)

TICK_SECONDS = 0.25


class KioskApp(App):

    def __init__(self, *, flow: KioskFlow, client: StationClient, listener: EventListener,
                 runner: ThreadRunner, clock: MonotonicClock, timings: Timings,
                 automation_port: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flow, self.client, self.listener, self.runner = flow, client, listener, runner
        self.clock, self.timings = clock, timings
        self.automation_port = automation_port
        self.automation: AutomationServer | None = None
        self.kiosk_root: KioskRoot | None = None
        self.overlays: Overlays | None = None
        self.voice = VoicePlayer()
        self._had_session = False
        self._spoken: tuple[str, str] | None = None  # (screen, clip) last spoken
        self._warned_idle = False
        self._published: dict[str, Any] | None = None  # the hook's state, refreshed by the UI thread

    # ---- building -------------------------------------------------------------------------------

    def build(self) -> KioskRoot:
        self.title = _("24-hour Community Service Station")
        theme.set_scale_for(Window.height)
        S.apply(self.flow.state.elderly)
        load_kv()
        root = self.kiosk_root = KioskRoot()
        for step in SCREENS:
            root.ids.screens.add_widget(build_screen(step, self.flow))
        self.overlays = Overlays(self.flow, root.ids.dialog, root.ids.entry)
        root.ids.entry.on_speak = lambda text: None if self.flow.state.muted else self.voice.say(
            text, translator.lang, slow=self.flow.state.elderly)
        nav = root.ids.nav.ids
        nav.back.bind(on_release=lambda *_a: self.flow.back())
        nav.home.bind(on_release=lambda *_a: self.flow.request_home())
        nav.listen.bind(on_release=lambda *_a: self._speak(force=True))
        nav.mute.bind(on_release=lambda *_a: self._toggle_mute())
        root.ids.top.ids.elderly.bind(on_release=lambda *_a: self.flow.toggle_elderly())
        root.ids.top.bind(on_hidden_entry=lambda *_a: self.flow.maintenance.open())
        for lang, button in root.language_buttons().items():
            button.bind(on_release=lambda _b, code=lang: translator.set_lang(code))
        self.flow.subscribe(self.render)
        translator.add_listener(lambda _lang: self.render())
        Window.bind(on_touch_down=self._touched, on_touch_up=self._released, on_flip=self._flipped)
        Clock.schedule_interval(self._tick, TICK_SECONDS)
        self.render()
        return root

    def on_start(self) -> None:
        liveness.announce(Clock)
        self.listener.start()
        self.flow.refresh_station()
        if self.automation_port is not None:
            self.automation = AutomationServer(self.automation_port, self._routes(), run_on_ui,
                                               direct=frozenset({("GET", "/state")}))
            self._publish()
            self.automation.start()

    def on_stop(self) -> None:
        self.listener.stop()
        if self.automation is not None:
            self.automation.stop()
        self.runner.shutdown()
        self.client.close()

    # ---- rendering ------------------------------------------------------------------------------

    def render(self) -> None:
        """Show the flow's step and refresh everything that depends on the state or language."""
        root = self.kiosk_root
        if root is None:
            return
        state = self.flow.state
        if S.elderly != state.elderly:
            S.apply(state.elderly)
        manager = root.ids.screens
        screen: KioskScreen = manager.get_screen(state.step.value)
        forgotten = state.session_id is None and state.verification is None
        if forgotten and self._had_session:
            for other in manager.screens:  # forget: no screen keeps the last resident's details
                other.render()
        self._had_session = not forgotten
        screen.render()
        if manager.current != screen.name:
            manager.current = screen.name
            self.timings.screen_changed(screen.name)
        root.ids.top.title = _(screen.title)
        root.ids.top.elderly = state.elderly
        nav = root.ids.nav
        nav.can_back, nav.can_home = screen.can_back, screen.can_home
        nav.hidden = state.step is Step.ATTRACT
        nav.can_listen, nav.muted = bool(screen.voice_clip()), state.muted
        if self.overlays is not None:
            self.overlays.render()
        self._speak()
        busy = self.flow.state.busy
        root.ids.busy.shown, root.ids.busy.message = busy is not None, _(busy) if busy else ""
        root.ids.recovering.shown = state.paused
        for lang, button in root.language_buttons().items():
            # The language in use is the lit (white) one; the other is outlined on the bar.
            button.kind = "secondary" if lang == translator.lang else "on_dark"
        self._render_idle()
        self._publish()

    def _render_idle(self) -> None:
        if self.kiosk_root is None:
            return
        seconds = self.flow.idle_warning()
        banner = self.kiosk_root.ids.idle
        banner.shown = seconds is not None
        banner.seconds = seconds or 0
        if banner.shown and not self._warned_idle and not self.flow.state.muted:
            self.voice.play("idle", translator.lang, slow=self.flow.state.elderly)
        self._warned_idle = banner.shown

    # ---- voice ----------------------------------------------------------------------------------

    def _speak(self, *, force: bool = False) -> None:
        """Say the step's instruction when its screen first shows (or when asked)."""
        if self.kiosk_root is None:
            return
        screen: KioskScreen = self.kiosk_root.ids.screens.current_screen
        clip = screen.voice_clip()
        key = (screen.name, clip)
        if not force and (key == self._spoken or self.flow.state.muted):
            self._spoken = key
            return
        self._spoken = key
        if clip:
            self.voice.play(clip, translator.lang, slow=self.flow.state.elderly)

    def _toggle_mute(self) -> None:
        self.flow.toggle_mute()
        if self.flow.state.muted:
            self.voice.stop()

    def _tick(self, _dt: float) -> None:
        self.flow.tick()
        self._render_idle()
        if self.kiosk_root is not None:
            self.kiosk_root.ids.screens.current_screen.tick()
        self._publish()

    def _touched(self, _window: Any, _touch: Any) -> None:
        self.timings.touched()
        self.flow.touch()
        self._render_idle()
        self._publish()

    def _released(self, _window: Any, _touch: Any) -> None:
        Clock.schedule_once(self._handled, 0)  # after the widgets' own on_touch_up (and on_release)

    def _handled(self, _dt: float) -> None:
        self.timings.handled()
        self._publish()

    def _flipped(self, *_args: Any) -> None:
        self.timings.frame()
        self._publish()

    # ---- the test-automation hook ---------------------------------------------------------------

    def _routes(self) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
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

    def _publish(self) -> None:
        """Keep the state for the hook's readers (a fresh dict each time: never changed after)."""
        if self.automation is not None:
            self._published = self.automation_state()

    def _reset(self, body: dict[str, Any]) -> dict[str, Any]:
        """End any visit and start afresh in Chinese on home (or ``{"screen": "attract"}``), as the
        next resident would find it: tests share one running kiosk this way."""
        translator.set_lang(str(body.get("lang", "zh_CN")))
        if body.get("screen") == "attract":
            self.flow.attract()
        else:
            self.flow.end_visit()
        return self.automation_state()

    def _look(self, body: dict[str, Any]) -> dict[str, Any]:
        """Switch language and mode at once (the walk checks a screen four ways; the top bar's
        buttons themselves are tapped for real elsewhere). Returns when it switched: the test
        waits for a frame drawn after that before it looks."""
        translator.set_lang(str(body["lang"]))
        if bool(body["elderly"]) != self.flow.state.elderly:
            self.flow.toggle_elderly()
        return {"switched_at": time.time()}

    def _overlays(self) -> Overlays:
        if self.overlays is None:
            raise ValueError("the UI is not built yet")
        return self.overlays

    def _open_entry(self, body: dict[str, Any]) -> dict[str, Any]:
        """Open a keyboard as a later screen would (tests walk the keyboards this way)."""
        self.flow.open_entry(EntryKind(body["kind"]), N_("Please type here"), "test")
        return self.automation_state()

    def automation_state(self) -> dict[str, Any]:
        root = self.kiosk_root
        return {"screen": root.ids.screens.current if root else None, "flow": self.flow.snapshot(),
                "lang": translator.lang, "timings": self.timings.as_dict(), "voice": self.voice.last,
                "window": {"left": Window.left, "top": Window.top, "width": Window.width,
                           "height": Window.height}}

    def _advance(self, body: dict[str, Any]) -> dict[str, Any]:
        self.clock.advance(float(body["seconds"]))
        self._tick(0)
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


def screenshot(path: Path) -> str:
    """Draw the window now and save it as a PNG at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Window.dispatch("on_draw")  # render into the back buffer that is about to be read
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        # Kivy appends a counter to the name it is given; write aside, then move into place.
        saved = Window.screenshot(name=os.path.join(folder, "shot.png"))
        if not saved:
            raise ValueError("the window could not be captured")
        shutil.move(saved, path)
    return str(path)


def grab_jpeg(max_width: int = 640, quality: int = 70) -> bytes:
    """Draw the window now and return it as a small JPEG (for staff's remote screenshot)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        png = Path(screenshot(Path(folder) / "screen.png"))
        with Image.open(png) as image:
            picture = image.convert("RGB")
    if picture.width > max_width:
        picture = picture.resize((max_width, round(picture.height * max_width / picture.width)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality)
    return out.getvalue()


__all__ = ["KioskApp", "Step", "grab_jpeg", "run_on_ui", "screenshot"]
