"""Console sessions: CSRF tokens bound to the session, redirects kept inside the console, and the
Secure flag as configured (else from the scheme)."""

from __future__ import annotations

from typing import Any

import pytest

from backend.platform.console import config
from backend.platform.console.session import csrf_for, safe_next, secure_cookies


def test_csrf_tokens_differ_by_session_and_purpose() -> None:
    assert csrf_for("session-a") == csrf_for("session-a")
    assert len({csrf_for("session-a"), csrf_for("session-b"), csrf_for("session-a", "console-signin")}) == 3


@pytest.mark.parametrize(("target", "expected"), [
    ("/console/alerts?show=open", "/console/alerts?show=open"),
    ("/console/stations/a-1", "/console/stations/a-1"),
    ("https://evil.example/console", "/console/fleet"),
    ("//evil.example/console", "/console/fleet"),
    ("/console//evil.example", "/console/fleet"),
    ("/console\\..\\api", "/console/fleet"),
    ("/api/staff/stations", "/console/fleet"),
    ("", "/console/fleet"),
    (None, "/console/fleet"),
])
def test_redirects_stay_inside_the_console(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


class _Request:
    def __init__(self, scheme: str) -> None:
        self.url = type("Url", (), {"scheme": scheme})()


class _Runtime:
    def __init__(self, public_url: str) -> None:
        self.settings = type("Settings", (), {"public_url": public_url})()


@pytest.mark.parametrize(("env", "scheme", "public_url", "secure"), [
    (None, "http", "", False),
    (None, "https", "", True),
    (None, "http", "https://platform.example", True),
    ("true", "http", "", True),
    ("false", "https", "", False),
])
def test_the_secure_flag_is_configured_or_follows_https(monkeypatch: pytest.MonkeyPatch, env: str | None,
                                                         scheme: str, public_url: str, secure: bool) -> None:
    if env is None:
        monkeypatch.delenv("KIOSK_CONSOLE_SECURE_COOKIES", raising=False)
    else:
        monkeypatch.setenv("KIOSK_CONSOLE_SECURE_COOKIES", env)
    config.console_settings.cache_clear()
    try:
        request: Any = _Request(scheme)
        runtime: Any = _Runtime(public_url)
        assert secure_cookies(request, runtime) is secure
    finally:
        config.console_settings.cache_clear()
