"""The HTTP seam to the station: who this kiosk is (``StationToken``), one request
(``HttpTransport._request``: httpx in, a JSON body or a ``StationError`` out) and the parsing
helpers every group of calls shares (a body that does not parse is ``BAD_RESPONSE``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..errors import BAD_RESPONSE, NETWORK_TIMEOUT, NETWORK_UNREACHABLE, StationError

T = TypeVar("T")

PRINT_TIMEOUT = 45.0  # a print job waits for the paper to come out
TOKEN_FILE = "station-api.token"


class StationToken:
    """Who this kiosk program is to the station: the station's API token, read from the file the
    station writes at every start (a restarted station's new token is picked up at the next call),
    and a client id of this process (the resident's session belongs to the client that opened it,
    and only that client sees its events)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.client_id = uuid.uuid4().hex

    def header(self) -> dict[str, str]:
        headers = {"X-Kiosk-Client": self.client_id}
        if self.path is None:
            return headers
        try:
            token = self.path.read_text().strip()
        except OSError:
            return headers
        return headers | ({"Authorization": f"Bearer {token}"} if token else {})


class Calls:
    """What every group of calls (the mixins of ``StationClient``) stands on: one request to the
    station. ``HttpTransport`` sends it; a mixin alone cannot."""

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                 timeout: float | None = None, pin: str | None = None) -> Any:
        raise NotImplementedError

    def _get_bytes(self, path: str, *, magic: bytes) -> bytes:
        raise NotImplementedError


class HttpTransport(Calls):
    """The station's HTTP API over httpx; every failure becomes a ``StationError``."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, token: StationToken | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token or StationToken(None)
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                 timeout: float | None = None, pin: str | None = None) -> Any:
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        extra["headers"] = self._token.header() | ({"X-Technician-Pin": pin} if pin is not None else {})
        try:
            response = self._http.request(method, path, json=body, **extra)
        except httpx.TimeoutException as err:
            raise StationError.local(NETWORK_TIMEOUT, detail=f"{method} {path}") from err
        except httpx.HTTPError as err:
            raise StationError.local(NETWORK_UNREACHABLE, detail=f"{method} {path}: {err}") from err
        if response.status_code == 204:
            return None
        try:
            payload = response.json()
        except ValueError as err:
            raise StationError.local(BAD_RESPONSE, detail=f"HTTP {response.status_code}") from err
        if response.status_code >= 400:
            raise StationError.from_body(response.status_code, payload)
        return payload

    def _get_bytes(self, path: str, *, magic: bytes) -> bytes:
        """A file the station serves as it is (an emergency notice's picture): its bytes, which
        must begin with ``magic``."""
        try:
            response = self._http.get(path, headers=self._token.header())
        except httpx.TimeoutException as err:
            raise StationError.local(NETWORK_TIMEOUT, detail=f"GET {path}") from err
        except httpx.HTTPError as err:
            raise StationError.local(NETWORK_UNREACHABLE, detail=f"GET {path}: {err}") from err
        if response.status_code >= 400 or not response.content.startswith(magic):
            raise StationError.local(BAD_RESPONSE, detail=f"{path}: HTTP {response.status_code}")
        return response.content


def parsed(parse: Callable[[Any], T], body: Any) -> T:
    try:
        return parse(body)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise StationError.local(BAD_RESPONSE, detail=f"{type(err).__name__}: {err}") from err


def as_mapping(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise StationError.local(BAD_RESPONSE, detail="expected an object")
    return body


def parsed_list(parse: Callable[[Any], T], body: Any) -> list[T]:
    if not isinstance(body, list):
        raise StationError.local(BAD_RESPONSE, detail="expected a list")
    return [parsed(parse, item) for item in body]
