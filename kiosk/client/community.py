"""Community life: activities (sign-ups, their tickets, check-in), open accounts (信酬制),
grassroots organisations (社区组织) and the building's neighbour group (邻里一家亲). The council
(小区议事堂) has its own module, ``council``."""

from __future__ import annotations

from typing import Any, Protocol

from ..records import AccountsMonth, Activity, CheckIn, PublishingCompound, Signup
from ..records.organisations import Organisation, OrgKind
from ..records.volunteers import NeighbourGroup
from .transport import PRINT_TIMEOUT, Calls, parsed, parsed_list


class CommunityApi(Protocol):
    def activities(self) -> list[Activity]: ...
    def sign_up(self, activity_id: str, *, session_id: str, idempotency_key: str) -> Signup: ...
    def print_signup_slip(self, signup_id: str, *, session_id: str) -> Signup: ...
    def my_signups(self, session_id: str) -> list[Signup]: ...
    def cancel_signup(self, signup_id: str, *, session_id: str) -> None: ...
    def check_in(self, token: str) -> CheckIn: ...
    def accounts_published(self) -> list[PublishingCompound]: ...
    def accounts_months(self, compound: str, *, session_id: str) -> list[str]: ...
    def accounts_month(self, compound: str, month: str, *, session_id: str) -> AccountsMonth: ...
    def print_statement(self, compound: str, month: str, *, session_id: str) -> None: ...
    def organisations(self) -> list[Organisation]: ...
    def organisation_kinds(self) -> list[OrgKind]: ...
    def file_organisation(self, body: dict[str, Any]) -> Organisation: ...
    def print_organisation_slip(self, application_no: str, *, session_id: str) -> Organisation: ...
    def my_organisations(self, session_id: str) -> list[Organisation]: ...
    def neighbour_group(self, session_id: str) -> NeighbourGroup: ...


class CommunityCalls(Calls):
    # ---- activities ----

    def activities(self) -> list[Activity]:
        """The community's upcoming activities, soonest first (works offline)."""
        return parsed_list(Activity.parse, self._request("GET", "/api/activities"))

    def sign_up(self, activity_id: str, *, session_id: str, idempotency_key: str) -> Signup:
        """Sign the identified resident up: a place, or the waiting list when full."""
        body = {"session_id": session_id, "idempotency_key": idempotency_key}
        return parsed(Signup.parse, self._request("POST", f"/api/activities/{activity_id}/signups", body))

    def print_signup_slip(self, signup_id: str, *, session_id: str) -> Signup:
        """Print the sign-up slip with its ticket QR."""
        body = self._request("POST", f"/api/activities/signups/{signup_id}/slip",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return parsed(Signup.parse, body)

    def my_signups(self, session_id: str) -> list[Signup]:
        """The identified resident's sign-ups."""
        return parsed_list(Signup.parse,
                           self._request("GET", f"/api/activities/signups?session_id={session_id}"))

    def cancel_signup(self, signup_id: str, *, session_id: str) -> None:
        """Cancel one's sign-up (its ticket stops working)."""
        self._request("POST", f"/api/activities/signups/{signup_id}/cancel", {"session_id": session_id})

    def check_in(self, token: str) -> CheckIn:
        """Check a scanned activity ticket in (once per ticket)."""
        return parsed(CheckIn.parse, self._request("POST", "/api/activities/checkin", {"token": token}))

    # ---- open accounts (信酬制) ----

    def accounts_published(self) -> list[PublishingCompound]:
        """Which compounds of the community publish their accounts."""
        return parsed_list(PublishingCompound.parse, self._request("GET", "/api/accounts"))

    def accounts_months(self, compound: str, *, session_id: str) -> list[str]:
        """The compound's published months, latest first (owners only: accounts.not_owner)."""
        body = self._request("GET", f"/api/accounts/{compound}?session_id={session_id}")
        return parsed_list(lambda m: str(m["month"]), body)

    def accounts_month(self, compound: str, month: str, *, session_id: str) -> AccountsMonth:
        """A month: totals and bars by category, entries, balance."""
        body = self._request("GET", f"/api/accounts/{compound}/{month}?session_id={session_id}")
        return parsed(AccountsMonth.parse, body)

    def print_statement(self, compound: str, month: str, *, session_id: str) -> None:
        """Print the month's statement for the owner."""
        self._request("POST", f"/api/accounts/{compound}/{month}/print", {"session_id": session_id},
                      timeout=PRINT_TIMEOUT)

    # ---- grassroots organisations (社区组织) ----

    def organisations(self) -> list[Organisation]:
        """The community's approved organisations: what they do, how to join."""
        return parsed_list(Organisation.parse, self._request("GET", "/api/organisations"))

    def organisation_kinds(self) -> list[OrgKind]:
        """What an organisation may be (interest, volunteer, culture…)."""
        return parsed_list(OrgKind.parse, self._request("GET", "/api/organisations/kinds"))

    def file_organisation(self, body: dict[str, Any]) -> Organisation:
        """File an organisation (the identified resident leads it); a retry keeps the key."""
        return parsed(Organisation.parse, self._request("POST", "/api/organisations", body))

    def print_organisation_slip(self, application_no: str, *, session_id: str) -> Organisation:
        """Print the filing slip with the application number."""
        body = self._request("POST", f"/api/organisations/{application_no}/slip",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return parsed(Organisation.parse, body)

    def my_organisations(self, session_id: str) -> list[Organisation]:
        """The identified resident's filings and where each stands."""
        return parsed_list(Organisation.parse,
                           self._request("GET", f"/api/organisations/mine?session_id={session_id}"))

    # ---- the building's neighbour group (邻里一家亲) ----

    def neighbour_group(self, session_id: str) -> NeighbourGroup:
        """邻里一家亲: the group QR of the identified resident's building (group.none: there is none)."""
        return parsed(NeighbourGroup.parse, self._request("POST", "/api/neighbour-group",
                                                          {"session_id": session_id}))
