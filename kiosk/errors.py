"""The kiosk's one error type: what the station (or the network) said went wrong."""

from __future__ import annotations

from typing import Any

from .i18n import N_, translate

# Codes the kiosk makes up itself when the station cannot answer at all.
NETWORK_UNREACHABLE = "network.unreachable"
NETWORK_TIMEOUT = "network.timeout"
BAD_RESPONSE = "network.bad_response"
INTERNAL = "kiosk.internal"
SESSION_ENDED = "session.ended"  # the station ended the session (idle, staff, another start)

_LOCAL_MESSAGES = {
    NETWORK_UNREACHABLE: N_("The station service cannot be reached."),
    NETWORK_TIMEOUT: N_("The station service took too long to answer."),
    BAD_RESPONSE: N_("The station service sent an answer the kiosk cannot read."),
    INTERNAL: N_("Something went wrong in the kiosk."),
    SESSION_ENDED: N_("This session has ended. Please start again."),
}


class StationError(Exception):
    """An API error: a stable machine ``code`` and a message in zh and en for people."""

    def __init__(self, code: str, message: dict[str, str], *, status: int = 0, detail: str = "",
                 context: dict[str, Any] | None = None) -> None:
        self.code = code
        self.message = {"zh": message.get("zh", ""), "en": message.get("en", "")}
        self.status = status
        self.detail = detail
        self.context = context or {}
        super().__init__(f"{code} ({status}): {self.message['en']}" + (f" [{detail}]" if detail else ""))

    @property
    def transient(self) -> bool:
        """True if trying again later may help (network trouble, device faults, 5xx)."""
        return self.code.startswith("network.") or self.code == INTERNAL or self.status >= 500

    @classmethod
    def local(cls, code: str, detail: str = "") -> StationError:
        """Return an error the kiosk raises itself (the station did not answer)."""
        msgid = _LOCAL_MESSAGES[code]
        return cls(code, {"zh": translate(msgid, "zh_CN"), "en": translate(msgid, "en")}, detail=detail)

    @classmethod
    def from_body(cls, status: int, body: Any) -> StationError:
        """Return the error an API error body describes (or a generic one if it is not JSON)."""
        if not isinstance(body, dict) or not isinstance(body.get("code"), str):
            return cls.local(BAD_RESPONSE, detail=f"HTTP {status}")
        message = body.get("message")
        return cls(body["code"], message if isinstance(message, dict) else {}, status=status,
                   detail=str(body.get("detail", ""))[:200],
                   context=body.get("context") if isinstance(body.get("context"), dict) else None)
