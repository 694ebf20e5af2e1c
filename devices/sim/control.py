"""The simulators' control API: a small JSON-over-HTTP server (stdlib only) that the technician
CLI (``kiosk sim fault …``), the station's demo button, tests and the maintenance screen use to
inject faults and input into running simulators.

    GET    /devices                      every simulator's state
    GET    /faults                       the one list of faults
    POST   /devices/{name}/faults        {"fault": "paper_out", "params": {"after_lines": 3}}
    DELETE /devices/{name}/faults        clear every fault of a simulator
    POST   /devices/{name}/{action}      a simulator's own action (card, scan, show, refill…)
    DELETE /devices/{name}/{action}      its undo (e.g. take the card away)
    GET    /devices/{name}/{what}        a simulator's own listing (e.g. printer jobs)
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .base import Simulator
from .faults import FAULTS, UnknownFaultError

log = logging.getLogger(__name__)

Action = Callable[[dict[str, Any]], Any]


class ControlError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class SimulatorControl:
    """Routes control requests to simulators and their registered actions."""

    def __init__(self, simulators: dict[str, Simulator]) -> None:
        self.simulators = simulators
        self._actions: dict[tuple[str, str, str], Action] = {}

    def action(self, method: str, device: str, name: str, handler: Action) -> None:
        """Register ``METHOD /devices/{device}/{name}``."""
        self._actions[(method, device, name)] = handler

    def handle(self, method: str, path: str, body: dict[str, Any]) -> Any:
        parts = [p for p in path.split("?")[0].split("/") if p]
        if parts == ["devices"] and method == "GET":
            return {name: sim.describe() for name, sim in self.simulators.items()}
        if parts == ["faults"] and method == "GET":
            return {d: [asdict(f) for f in faults] for d, faults in FAULTS.items()}
        if len(parts) >= 3 and parts[0] == "devices":
            return self._device(method, parts[1], parts[2:], body)
        raise ControlError(HTTPStatus.NOT_FOUND, f"no such control path {path}")

    def _device(self, method: str, device: str, rest: list[str], body: dict[str, Any]) -> Any:
        sim = self.simulators.get(device)
        if sim is None:
            raise ControlError(HTTPStatus.NOT_FOUND, f"no simulator {device!r}; running: "
                               f"{', '.join(self.simulators)}")
        if rest == ["faults"] and method == "POST":
            params = body.get("params") or {}
            if not isinstance(params, dict):
                raise ControlError(HTTPStatus.BAD_REQUEST, "params must be an object")
            try:
                sim.inject_fault(str(body.get("fault", "")), **params)
            except (UnknownFaultError, TypeError, ValueError) as err:
                raise ControlError(HTTPStatus.BAD_REQUEST, str(err)) from err
            return sim.describe()
        if rest == ["faults"] and method == "DELETE":
            sim.clear_faults()
            return sim.describe()
        handler = self._actions.get((method, device, "/".join(rest)))
        if handler is None:
            raise ControlError(HTTPStatus.NOT_FOUND, f"{method} /devices/{device}/{'/'.join(rest)} "
                               "is not an action of this simulator")
        try:
            return handler(body)
        except (KeyError, TypeError, ValueError) as err:
            raise ControlError(HTTPStatus.BAD_REQUEST, str(err)) from err


class ControlServer:
    """Serves a SimulatorControl on 127.0.0.1 in a background thread."""

    def __init__(self, control: SimulatorControl, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = _handler_for(control)
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="sim-control",
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler_for(control: SimulatorControl) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> None:
            try:
                result = control.handle(method, self.path, self._body())
                self._reply(HTTPStatus.OK, result)
            except ControlError as err:
                self._reply(err.status, {"error": str(err)})
            except (LookupError, ValueError) as err:  # an unknown resident, a bad value: the caller's
                self._reply(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(err)})
            except Exception as err:  # the control API must answer, whatever a simulator does
                log.exception("simulator control %s %s failed", method, self.path)
                self._reply(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": repr(err)})

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            if not length:
                return {}
            try:
                body = json.loads(self.rfile.read(min(length, 1 << 20)))
            except ValueError as err:
                raise ControlError(HTTPStatus.BAD_REQUEST, f"body is not JSON: {err}") from err
            if not isinstance(body, dict):
                raise ControlError(HTTPStatus.BAD_REQUEST, "body must be a JSON object")
            return body

        def _reply(self, status: HTTPStatus, payload: Any) -> None:
            data = json.dumps(payload, ensure_ascii=False, default=str).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("control: " + format, *args)

    return Handler
