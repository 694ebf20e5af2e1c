"""Requests (tickets): categories and places to choose from, filing one and its slip, its
progress from a scanned slip or the resident's list; and anonymous ratings of a finished service."""

from __future__ import annotations

from typing import Any, Protocol

from ..records import Places, RatingOptions, TicketCategory, TicketView
from .transport import PRINT_TIMEOUT, Calls, parsed, parsed_list


class TicketApi(Protocol):
    def ticket_categories(self) -> list[TicketCategory]: ...
    def ticket_places(self) -> Places: ...
    def file_ticket(self, body: dict[str, Any]) -> TicketView: ...
    def print_ticket_slip(self, ticket_no: str, *, session_id: str) -> TicketView: ...
    def lookup_ticket(self, token: str) -> TicketView: ...
    def my_tickets(self, session_id: str) -> list[TicketView]: ...
    def rating_options(self) -> RatingOptions: ...
    def rate(self, body: dict[str, Any]) -> None: ...


class TicketCalls(Calls):
    def ticket_categories(self) -> list[TicketCategory]:
        """The request categories (big icons, ready phrases, usual reply time)."""
        return parsed_list(TicketCategory.parse, self._request("GET", "/api/tickets/categories"))

    def ticket_places(self) -> Places:
        """The community's buildings and units, and the public area's landmarks."""
        return parsed(Places.parse, self._request("GET", "/api/tickets/places"))

    def file_ticket(self, body: dict[str, Any]) -> TicketView:
        """File a request (idempotent by its idempotency_key); the answer has the slip's token."""
        return parsed(TicketView.parse, self._request("POST", "/api/tickets", body))

    def print_ticket_slip(self, ticket_no: str, *, session_id: str) -> TicketView:
        """Print a request's slip (number, expected reply, QR; 'saved offline' when offline)."""
        body = self._request("POST", f"/api/tickets/{ticket_no}/slip", {"session_id": session_id},
                             timeout=PRINT_TIMEOUT)
        return parsed(TicketView.parse, body)

    def lookup_ticket(self, token: str) -> TicketView:
        """A request's progress from its slip's scanned QR (works offline)."""
        return parsed(TicketView.parse, self._request("POST", "/api/tickets/lookup", {"token": token}))

    def my_tickets(self, session_id: str) -> list[TicketView]:
        """The identified resident's requests, newest first."""
        return parsed_list(TicketView.parse, self._request("GET", f"/api/tickets?session_id={session_id}"))

    # ---- ratings -------------------------------------------------------------------------------

    def rating_options(self) -> RatingOptions:
        """The five levels and the reasons to tick."""
        return parsed(RatingOptions.parse, self._request("GET", "/api/ratings/options"))

    def rate(self, body: dict[str, Any]) -> None:
        """Rate a finished service, anonymously (a certificate, or a closed request)."""
        self._request("POST", "/api/ratings", body)
