"""The test-automation hook's HTTP surface: routes, query parameters, errors; and the UI's
window-size setting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from kiosk.automation import AutomationServer
from kiosk.ui.bootstrap import window_size


@pytest.fixture
def hook() -> Iterator[tuple[str, list[Callable[[], Any]]]]:
    marshalled: list[Callable[[], Any]] = []

    def run_on_ui(call: Callable[[], Any]) -> Any:
        marshalled.append(call)
        return call()

    def fail(_body: dict[str, Any]) -> Any:
        raise KeyError("path")

    routes = {("GET", "/state"): lambda body: {"screen": "home", "query": body},
              ("POST", "/clock/advance"): lambda body: {"advanced": body["seconds"]},
              ("POST", "/screenshot"): fail}
    routes[("GET", "/published")] = lambda body: {"published": True}
    server = AutomationServer(0, routes, run_on_ui, direct=frozenset({("GET", "/published")}))
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}", marshalled
    finally:
        server.stop()


def test_calls_are_marshalled_and_answered_as_json(hook: tuple[str, list[Any]]) -> None:
    url, marshalled = hook
    assert httpx.get(url + "/state?all=1").json() == {"screen": "home", "query": {"all": "1"}}
    assert httpx.post(url + "/clock/advance", json={"seconds": 90}).json() == {"advanced": 90}
    assert len(marshalled) == 2


def test_direct_routes_answer_without_the_ui_thread(hook: tuple[str, list[Any]]) -> None:
    url, marshalled = hook
    assert httpx.get(url + "/published").json() == {"published": True}
    assert marshalled == []


@pytest.mark.parametrize(("method", "path", "content", "status"), [
    ("GET", "/nope", None, 404),
    ("POST", "/clock/advance", b"not json", 400),
    ("POST", "/clock/advance", b"{}", 400),
    ("POST", "/screenshot", b"{}", 400),
])
def test_bad_requests_get_a_clear_answer(hook: tuple[str, list[Any]], method: str, path: str,
                                         content: bytes | None, status: int) -> None:
    url, _ = hook
    response = httpx.request(method, url + path, content=content)
    assert response.status_code == status and "error" in response.json()


@pytest.mark.parametrize(("value", "size"), [
    ("", (1280, 800)), ("1920x1080", (1920, 1080)), ("1080X1920", (1080, 1920))])
def test_window_size_from_the_environment_format(value: str, size: tuple[int, int]) -> None:
    assert window_size(value) == size


@pytest.mark.parametrize("value", ["big", "1280", "10x10", "1280x800x2"])
def test_a_bad_window_size_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        window_size(value)
