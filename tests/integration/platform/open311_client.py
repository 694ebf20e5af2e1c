"""A small Open311 GeoReport v2 client written from the specification (wiki.open311.org/GeoReport_v2)
and FixMyStreet's extension (servicerequestupdates), as any third-party tool would be — it knows
nothing of the server's code.

From the spec: the format is chosen by the URL's suffix; XML is required and JSON optional; a POST
is form-encoded and carries ``api_key``; ``attribute[code]`` carries a service's attributes
(``attribute[code][]`` for a multivaluelist); errors come back as a list of {code, description}
with HTTP 400, 403 or 404; a list in XML is a plural element of singular ones.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import httpx

# Plural elements of the spec's XML and the singular element each holds.
XML_LISTS = {"services": "service", "service_requests": "request", "errors": "error",
             "attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format",
             "service_request_updates": "request_update"}


class Open311Failure(Exception):
    def __init__(self, status: int, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors


def parse_xml(text: str) -> Any:
    """Turn a GeoReport v2 XML document into lists and dicts of strings."""
    root = ElementTree.fromstring(text.encode())
    return _element(root)


def _element(element: ElementTree.Element) -> Any:
    if element.tag in XML_LISTS:
        return [_element(child) for child in element if child.tag == XML_LISTS[element.tag]]
    children = list(element)
    if not children:
        return element.text or ""
    return {child.tag: _element(child) for child in children}


class Open311Client:
    def __init__(self, endpoint: str, *, fmt: str = "json", api_key: str | None = None,
                 jurisdiction_id: str | None = None) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.fmt = fmt
        self.api_key = api_key
        self.jurisdiction_id = jurisdiction_id
        self.last_text = ""
        self.last_content_type = ""

    def _url(self, resource: str) -> str:
        return f"{self.endpoint}/{resource}.{self.fmt}"

    def _answer(self, response: httpx.Response) -> Any:
        self.last_text = response.text
        self.last_content_type = response.headers.get("content-type", "")
        body = parse_xml(response.text) if self.fmt == "xml" else response.json()
        if response.status_code != 200:
            raise Open311Failure(response.status_code, body)
        return body

    def _get(self, resource: str, **params: str) -> Any:
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        return self._answer(httpx.get(self._url(resource), params=params, timeout=30))

    def _post(self, resource: str, form: list[tuple[str, str]]) -> Any:
        if self.api_key is not None:
            form = [("api_key", self.api_key), *form]
        if self.jurisdiction_id:
            form = [("jurisdiction_id", self.jurisdiction_id), *form]
        fields: dict[str, list[str]] = {}
        for name, value in form:  # repeated names (attribute[code][]) become lists
            fields.setdefault(name, []).append(value)
        return self._answer(httpx.post(self._url(resource), data=fields, timeout=30))

    # ---- GeoReport v2 ----
    def discovery(self) -> Any:
        return self._get("discovery")

    def services(self, **params: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get("services", **params)
        return result

    def service_definition(self, service_code: str) -> dict[str, Any]:
        result: dict[str, Any] = self._get(f"services/{service_code}")
        return result

    def post_request(self, service_code: str, *, attributes: dict[str, str | list[str]] | None = None,
                     **fields: str) -> list[dict[str, Any]]:
        form = [("service_code", service_code), *fields.items()]
        for code, value in (attributes or {}).items():
            if isinstance(value, list):
                form += [(f"attribute[{code}][]", v) for v in value]
            else:
                form.append((f"attribute[{code}]", value))
        result: list[dict[str, Any]] = self._post("requests", form)
        return result

    def get_requests(self, **params: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get("requests", **params)
        return result

    def get_request(self, service_request_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get(f"requests/{service_request_id}")
        return result

    def get_token(self, token: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get(f"tokens/{token}")
        return result

    # ---- FixMyStreet's extension ----
    def get_updates(self, **params: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._get("servicerequestupdates", **params)
        return result

    def post_update(self, **fields: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._post("servicerequestupdates", list(fields.items()))
        return result
