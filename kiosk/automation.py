"""The test-automation hook: a tiny HTTP server on 127.0.0.1, off unless a port is given.

    GET  /state[?widgets=1]        current screen, flow state (no personal details), timings,
                                   window position; widgets=1 adds GET /widgets' answer
    GET  /widgets[?all=1]          visible widgets: id, kind, text, window rect (top-left origin);
                                   all=1 adds the hidden screens' widgets (on_screen false)
    POST /clock/advance {seconds}  move the UI's injected clock forward
    POST /screenshot {path}        save the window as a PNG
    POST /look {lang, elderly}     switch language and mode at once (answers when it switched)
    POST /reset [{screen, lang}]   end any visit; home (or attract) in Chinese, as for a newcomer
    POST /entry {kind}, POST /entry/key {code}   open a keyboard, press its keys

Handlers run on the UI thread: the server thread hands each call to ``run_on_ui`` and waits —
except the ``direct`` ones, which answer from data the UI thread published (a test polling the
state then costs no frame). Kivy-free, so it is tested on its own.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Any]
RunOnUi = Callable[[Callable[[], Any]], Any]
ENV_PORT = "KIOSK_UI_AUTOMATION_PORT"


class AutomationServer:
    """Serve ``routes`` ({(method, path): handler}) on 127.0.0.1:``port`` (0 = any free port);
    the routes named in ``direct`` run on the server's thread."""

    def __init__(self, port: int, routes: dict[tuple[str, str], Handler], run_on_ui: RunOnUi, *,
                 direct: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.routes, self.run_on_ui, self.direct = routes, run_on_ui, direct
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_class(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="kiosk-automation", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()
        log.warning("test-automation hook listening on 127.0.0.1:%d (never enable on a real kiosk)",
                    self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def handle(self, method: str, path: str, body: dict[str, Any]) -> tuple[HTTPStatus, Any]:
        """Answer one request: (status, JSON-able payload). Query parameters join the body."""
        url = urlsplit(path)
        body = {**{k: v[-1] for k, v in parse_qs(url.query).items()}, **body}
        handler = self.routes.get((method, url.path))
        if handler is None:
            return HTTPStatus.NOT_FOUND, {"error": f"no route {method} {path}"}
        run = _run_here if (method, url.path) in self.direct else self.run_on_ui
        try:
            return HTTPStatus.OK, run(lambda: handler(body))
        except (ValueError, KeyError, TypeError) as err:
            return HTTPStatus.BAD_REQUEST, {"error": str(err)}
        except TimeoutError:
            return HTTPStatus.SERVICE_UNAVAILABLE, {"error": "the UI thread did not answer"}
        except Exception as err:  # a bug in a handler: say so, keep serving
            log.exception("automation %s %s failed", method, path)
            return HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(err).__name__}: {err}"}


def _run_here(call: Callable[[], Any]) -> Any:
    return call()


def _handler_class(server: AutomationServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer("GET", {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._send(HTTPStatus.BAD_REQUEST, {"error": "body is not JSON"})
                return
            self._answer("POST", body if isinstance(body, dict) else {})

        def _answer(self, method: str, body: dict[str, Any]) -> None:
            status, payload = server.handle(method, self.path, body)
            self._send(status, payload)

        def _send(self, status: HTTPStatus, payload: Any) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("automation: " + format, *args)

    return Handler
