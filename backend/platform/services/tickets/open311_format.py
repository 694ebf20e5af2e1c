"""Open311 GeoReport v2 bodies in XML (required by the spec) and JSON, chosen by the URL suffix;
the spec's error bodies; W3C datetimes in local time (+08:00).

XML follows the spec's element names: a list is a plural element holding singular ones
(``<services><service>``, ``<attributes><attribute>``, ``<values><value>``); booleans are
``true``/``false``; text is escaped by ElementTree, so HTML a resident typed stays text.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from fastapi import Response

from backend.shared.errors import AppError

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
SINGULAR = {"services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
            "formats": "format", "service_requests": "request", "errors": "error",
            "service_request_updates": "request_update"}


class Open311Error(Exception):
    """An error the spec's way: an HTTP status and a description (400, 403 or 404)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def w3c(moment: datetime | None, timezone: ZoneInfo) -> str | None:
    """A datetime as the spec wants it: ISO 8601 with its offset, e.g. 2026-11-26T10:00:00+08:00."""
    return moment.astimezone(timezone).isoformat(timespec="seconds") if moment else None


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, f"format {fmt[:8]!r} is not offered: use .xml or .json")
    return fmt


def render(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    """Render a body (a list of items, or a dict) under ``root`` in XML or JSON."""
    if fmt == "json":
        text = json.dumps(body, ensure_ascii=False)
    else:
        element = ElementTree.Element(root)
        _fill(element, root, body)
        text = '<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(element, encoding="unicode")
    return Response(text.encode(), status_code=status, media_type=FORMATS.get(fmt, FORMATS["xml"]))


def render_error(fmt: str, error: Open311Error) -> Response:
    return render(fmt if fmt in FORMATS else "xml", "errors",
                  [{"code": error.status, "description": error.description}], error.status)


def _fill(element: ElementTree.Element, name: str, value: Any) -> None:
    if isinstance(value, list):
        child = SINGULAR.get(name, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, child), child, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), key, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def app_error(err: AppError) -> Open311Error:
    """An application error the Open311 way (validation problems are the client's: 400)."""
    status = 404 if err.spec.status == 404 else 403 if err.spec.status in (401, 403) else 400
    return Open311Error(status, f"{err.code}: {err.spec.en}" + (f" ({err.detail})" if err.detail else ""))
