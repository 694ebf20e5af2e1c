"""The fake station's community-life calls (activities), mixed into ``FakeStation``: capacity,
the waiting list, one sign-up per idempotency key, cancel, and a ticket that checks in once."""

from __future__ import annotations

from typing import Any

from kiosk.errors import StationError
from kiosk.records import AccountsMonth, Activity, CheckIn, PublishingCompound, Signup
from kiosk.records.organisations import Organisation, OrgKind


def activity(activity_id: str = "a-1", *, capacity: int = 2, confirmed: int = 0,
             title: str = "府城元宵换花节") -> dict[str, Any]:
    left = max(capacity - confirmed, 0)
    return {"id": activity_id, "title": title, "description": "带一盆花来换", "place": "桂林社区广场",
            "when_text": "02月12日 19:00", "starts_at": "2027-02-12T19:00:00+08:00",
            "capacity": capacity, "places_left": left, "waiting": 0, "full": left == 0,
            "signup_open": True}


class FakeCommunity:
    def __init__(self) -> None:
        self.activity_list: list[dict[str, Any]] = [activity()]
        self.signups: dict[str, dict[str, Any]] = {}  # idempotency key -> sign-up
        self.used_tickets: set[str] = set()
        self.owner_of = "GL-02"  # the compound the identified resident owns in ("" for none)
        self.statements: list[tuple[str, str]] = []
        self.approved_orgs: list[dict[str, Any]] = [organisation("ZZ-1", "椰林太极队", "sport", "approved")]
        self.org_filings: dict[str, dict[str, Any]] = {}  # idempotency key -> filing
        self.org_slips: list[str] = []

    def _record(self, name: str, **kwargs: Any) -> None:
        raise NotImplementedError

    def activities(self) -> list[Activity]:
        self._record("activities")
        return [Activity.parse(a) for a in self.activity_list]

    def sign_up(self, activity_id: str, *, session_id: str, idempotency_key: str) -> Signup:
        self._record("sign_up", activity_id=activity_id, session_id=session_id, key=idempotency_key)
        if idempotency_key not in self.signups:
            shown = next(a for a in self.activity_list if a["id"] == activity_id)
            waiting = sum(1 for s in self.signups.values() if s["state"] == "waiting")
            self.signups[idempotency_key] = {
                "id": f"s-{len(self.signups) + 1}", "activity_id": activity_id, "title": shown["title"],
                "place": shown["place"], "starts_at": shown["starts_at"],
                "state": "waiting" if shown["full"] else "confirmed",
                "position": waiting + 1 if shown["full"] else None, "ticket_token": "HD1:T"}
        return Signup.parse(self.signups[idempotency_key])

    def print_signup_slip(self, signup_id: str, *, session_id: str) -> Signup:
        self._record("print_signup_slip", signup_id=signup_id, session_id=session_id)
        return Signup.parse(next(s for s in self.signups.values() if s["id"] == signup_id))

    def my_signups(self, session_id: str) -> list[Signup]:
        self._record("my_signups", session_id=session_id)
        return [Signup.parse(s) for s in self.signups.values()]

    def cancel_signup(self, signup_id: str, *, session_id: str) -> None:
        self._record("cancel_signup", signup_id=signup_id, session_id=session_id)
        for signup in self.signups.values():
            if signup["id"] == signup_id:
                signup["state"] = "cancelled"

    def check_in(self, token: str) -> CheckIn:
        self._record("check_in", token=token)
        if token in self.used_tickets:
            raise StationError("activity.ticket_used", {"zh": "这张票已经签到过了。",
                                                        "en": "This ticket was already used."},
                               status=409)
        self.used_tickets.add(token)
        return CheckIn.parse({"signup_id": "s-1", "title": "府城元宵换花节"})

    # ---- open accounts ----

    def accounts_published(self) -> list[PublishingCompound]:
        self._record("accounts_published")
        return [PublishingCompound.parse({"compound": c, "name": {"zh": zh, "en": en},
                                          "latest_month": "2026-11"})
                for c, zh, en in (("GL-01", "桂林花园", "Guilin Garden"), ("GL-02", "椰林苑", "Yelin Court"))]

    def _owner(self, compound: str) -> None:
        if compound != self.owner_of:
            raise StationError("accounts.not_owner", {"zh": "只有本小区的业主可以查看账目明细。",
                                                      "en": "Only owners."}, status=403)

    def accounts_months(self, compound: str, *, session_id: str) -> list[str]:
        self._record("accounts_months", compound=compound)
        self._owner(compound)
        return ["2026-11", "2026-10", "2026-09"]

    def accounts_month(self, compound: str, month: str, *, session_id: str) -> AccountsMonth:
        self._record("accounts_month", compound=compound, month=month)
        self._owner(compound)
        return AccountsMonth.parse({
            "compound": compound, "name": {"zh": "椰林苑", "en": "Yelin Court"}, "month": month,
            "income": "12000.00", "expense": "9000.00", "opening_balance": "500.00", "balance": "3500.00",
            "by_category": [{"direction": "income", "category": "物业费", "total": "12000.00", "bar": 20},
                            {"direction": "expense", "category": "保洁", "total": "6000.00", "bar": 10}],
            "entries": [{"date": f"{month}-05", "category": "物业费", "direction": "income",
                         "amount": "12000.00", "voucher": "V1"}]})

    def print_statement(self, compound: str, month: str, *, session_id: str) -> None:
        self._record("print_statement", compound=compound, month=month)
        self.statements.append((compound, month))

    # ---- organisations ----

    def organisations(self) -> list[Organisation]:
        self._record("organisations")
        return [Organisation.parse(o) for o in self.approved_orgs]

    def organisation_kinds(self) -> list[OrgKind]:
        self._record("organisation_kinds")
        return [OrgKind.parse({"code": c, "name": {"zh": zh, "en": en}})
                for c, zh, en in (("interest", "兴趣类", "Interest"), ("sport", "体育类", "Sport"),
                                  ("mutual_aid", "互助类", "Mutual aid"))]

    def file_organisation(self, body: dict[str, Any]) -> Organisation:
        self._record("file_organisation", body=body)
        key = body["idempotency_key"]
        if key not in self.org_filings:
            self.org_filings[key] = organisation(f"ZZ-261126-{len(self.org_filings) + 1:04d}", body["name"],
                                                 body["kind"], "applied", members=body["members"],
                                                 activities=body["activities"])
        return Organisation.parse(self.org_filings[key])

    def print_organisation_slip(self, application_no: str, *, session_id: str) -> Organisation:
        self._record("print_organisation_slip", application_no=application_no, session_id=session_id)
        self.org_slips.append(application_no)
        return Organisation.parse(next(o for o in self.org_filings.values() if o["id"] == application_no))

    def my_organisations(self, session_id: str) -> list[Organisation]:
        self._record("my_organisations", session_id=session_id)
        return [Organisation.parse(o) for o in self.org_filings.values()]


def organisation(number: str, name: str, kind: str, state: str, *, members: int = 12,
                 activities: str = "每天早上在广场打太极") -> dict[str, Any]:
    return {"id": number, "name": name, "kind": kind, "kind_words": {"zh": "体育类", "en": "Sport"},
            "state": state, "members": members, "activities": activities,
            "how_to_join": "早上七点到广场找领队" if state == "approved" else ""}
