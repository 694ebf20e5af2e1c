"""Community life in the console: activities (publish, sign-ups, attendance, no-shows, export),
the staff phone page that checks tickets in, compounds' ledgers (import with a row report, months,
who imported when), the council (proposals, meetings, decisions) and organisations' filings. Every
action goes through the staff API's own route functions: its area checks and audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from backend.shared.community.compounds import compounds_of
from backend.shared.community.messages import Audience
from backend.shared.errors import VALIDATION, AppError

from ...api.deps import RuntimeDep
from ...api.routes import community as api
from ...api.routes import community_governance as governance
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console/community", route_class=ConsoleRoute, include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]


@router.get("", response_class=HTMLResponse)
def activities_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The area's activities and the form to publish one."""
    found = api.list_activities(user.visible, runtime)
    return render(
        request,
        "community.html",
        user=user,
        section="community",
        activities=found,
        communities=user.visible.communities,
        compounds=_compounds(user),
    )


def _compounds(user: ConsoleUser) -> list[dict[str, Any]]:
    return [c.public() for code in user.visible.communities for c in compounds_of(code)]


@router.post("/activities")
def publish(
    user: UserDep,
    runtime: RuntimeDep,
    community_code: Annotated[str, Form(max_length=32)],
    title: Annotated[str, Form(max_length=64)],
    place: Annotated[str, Form(max_length=128)],
    starts_at: Annotated[str, Form(max_length=32)],
    ends_at: Annotated[str, Form(max_length=32)],
    signup_opens_at: Annotated[str, Form(max_length=32)],
    signup_closes_at: Annotated[str, Form(max_length=32)],
    capacity: Annotated[int, Form(ge=1)],
    description: Text = "",
    audience_compound: Annotated[str, Form(max_length=32)] = "",
    min_age: Annotated[str, Form(max_length=3)] = "",
    max_age: Annotated[str, Form(max_length=3)] = "",
) -> RedirectResponse:
    """Publish an activity (times are the station zone's wall time)."""
    try:
        body = api.ActivityBody(
            community_code=community_code,
            title=title,
            description=description,
            place=place,
            starts_at=datetime.fromisoformat(starts_at),
            ends_at=datetime.fromisoformat(ends_at),
            capacity=capacity,
            signup_opens_at=datetime.fromisoformat(signup_opens_at),
            signup_closes_at=datetime.fromisoformat(signup_closes_at),
            audience=Audience(
                kind="compound" if audience_compound else "community",
                compound=audience_compound,
                min_age=int(min_age) if min_age else None,
                max_age=int(max_age) if max_age else None,
            ),
        )
        created = api.publish_activity(body, user.visible, runtime)
    except (ValueError, ValidationError) as err:
        return back("/console/community", error=AppError(VALIDATION, detail=str(err)[:64]))
    except AppError as err:
        return back("/console/community", error=err)
    return back(f"/console/community/activities/{created['id']}", done="done.community_saved")


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(activity_id: str, request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """An activity's sign-ups: confirmed, waiting in order, checked in, no-shows after the end."""
    found = api.get_activity(activity_id, user.visible, runtime)
    tally: dict[str, int] = {}
    for signup in found["signups"]:
        tally[signup["state"]] = tally.get(signup["state"], 0) + 1
    return render(request, "community_activity.html", user=user, section="community", a=found, tally=tally)


@router.get("/activities/{activity_id}/export.csv")
def export(activity_id: str, user: UserDep, runtime: RuntimeDep) -> Response:
    """The sign-ups and attendance as CSV."""
    return api.export_signups(activity_id, user.visible, runtime)


@router.post("/activities/{activity_id}/cancel")
def cancel(activity_id: str, user: UserDep, runtime: RuntimeDep) -> RedirectResponse:
    api.cancel_activity(activity_id, user.visible, runtime)
    return back(f"/console/community/activities/{activity_id}", done="done.community_saved")


@router.get("/checkin", response_class=HTMLResponse)
def checkin_page(request: Request, user: UserDep) -> HTMLResponse:
    """The staff phone page: scan (or paste) a ticket's code to check it in."""
    user.require(api.PERMISSION)
    return render(request, "community_checkin.html", user=user, section="community", result=None, refusal="")


@router.post("/checkin", response_class=HTMLResponse)
def checkin(
    request: Request,
    user: UserDep,
    runtime: RuntimeDep,
    token: Annotated[str, Form(min_length=4, max_length=4096)],
) -> HTMLResponse:
    """Check a ticket in once; a refusal says why in words."""
    try:
        result = api.check_in(api.TokenBody(token=token.strip()), user.visible, runtime)
    except AppError as err:
        return render(
            request,
            "community_checkin.html",
            user=user,
            section="community",
            result=None,
            refusal=err.code,
            status=err.status,
        )
    return render(
        request, "community_checkin.html", user=user, section="community", result=result, refusal=""
    )


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(
    request: Request, user: UserDep, runtime: RuntimeDep, compound: str = Query("", max_length=32)
) -> HTMLResponse:
    """A compound's published months and imports, and the import form."""
    return _accounts(request, user, runtime, compound)


def _accounts(
    request: Request,
    user: ConsoleUser,
    runtime: RuntimeDep,
    compound: str,
    *,
    rejected: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    compounds = _compounds(user)
    chosen = compound or (compounds[0]["code"] if compounds else "")
    shown = governance.compound_accounts(chosen, user.visible, runtime) if chosen else None
    return render(
        request,
        "community_accounts.html",
        user=user,
        section="community",
        compounds=compounds,
        chosen=chosen,
        shown=shown,
        rejected=rejected or [],
        status=status,
    )


@router.post("/accounts", response_class=HTMLResponse)
async def import_ledger(
    request: Request,
    user: UserDep,
    runtime: RuntimeDep,
    compound: Annotated[str, Form(max_length=32)],
    month: Annotated[str, Form(max_length=7)],
    file: Annotated[UploadFile, File()],
) -> Response:
    """Import a month's ledger; a refused file shows every bad row."""
    try:
        await governance.import_ledger(compound, month, file, user.visible, runtime)
    except AppError as err:
        if "rejected" not in err.context:
            return back(f"/console/community/accounts?compound={compound}", error=err)
        rejected = list(err.context["rejected"])
        return await run_in_threadpool(
            lambda: _accounts(request, user, runtime, compound, rejected=rejected, status=422)
        )
    return back(f"/console/community/accounts?compound={compound}", done="done.community_saved")


@router.get("/council", response_class=HTMLResponse)
def council_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """Proposals with their support, meetings with their agendas, and organisations' filings."""
    return render(
        request,
        "community_council.html",
        user=user,
        section="community",
        proposals=governance.list_proposals(user.visible, runtime),
        meetings=governance.list_meetings(user.visible, runtime),
        compounds=_compounds(user),
        organisations=governance.list_organisations(user.visible, runtime),
    )


@router.get("/council/proposals/{proposal_id}/photo", response_model=None)
def proposal_photo(proposal_id: str, user: UserDep, runtime: RuntimeDep) -> Response:
    """The photo taken at the kiosk with a proposal (the staff API's own area check)."""
    return governance.proposal_photo(proposal_id, user.visible, runtime)


@router.post("/council/proposals/{proposal_id}/decision")
def decide_proposal(
    proposal_id: str,
    user: UserDep,
    runtime: RuntimeDep,
    accepted: Annotated[str, Form(pattern=r"^(yes|no)$")],
    decision: Text,
) -> RedirectResponse:
    try:
        governance.decide_proposal(
            proposal_id,
            governance.ProposalDecision(accepted=accepted == "yes", decision=decision),
            user.visible,
            runtime,
        )
    except (AppError, ValidationError) as err:
        return back(
            "/console/community/council", error=err if isinstance(err, AppError) else AppError(VALIDATION)
        )
    return back("/console/community/council", done="done.community_saved")


@router.post("/council/meetings")
def schedule(
    user: UserDep,
    runtime: RuntimeDep,
    compound: Annotated[str, Form(max_length=32)],
    held_at: Annotated[str, Form(max_length=32)],
    place: Annotated[str, Form(max_length=128)],
    proposal_ids: Annotated[list[str] | None, Form()] = None,
) -> RedirectResponse:
    try:
        body = governance.MeetingBody(
            compound=compound,
            held_at=datetime.fromisoformat(held_at),
            place=place,
            proposal_ids=proposal_ids or [],
        )
        governance.schedule_meeting(body, user.visible, runtime)
    except (ValueError, ValidationError):
        return back("/console/community/council", error=AppError(VALIDATION))
    except AppError as err:
        return back("/console/community/council", error=err)
    return back("/console/community/council", done="done.community_saved")


@router.post("/organisations/{organisation_id}/decision")
def decide_organisation(
    organisation_id: str,
    user: UserDep,
    runtime: RuntimeDep,
    decision: Annotated[str, Form(pattern=r"^(approve|more_info|refuse)$")],
    reason: Annotated[str, Form(max_length=255)] = "",
    how_to_join: Annotated[str, Form(max_length=255)] = "",
) -> RedirectResponse:
    try:
        governance.decide_organisation(
            organisation_id,
            governance.OrganisationDecision(decision=decision, reason=reason, how_to_join=how_to_join),
            user.visible,
            runtime,
        )
    except AppError as err:
        return back("/console/community/council", error=err)
    return back("/console/community/council", done="done.community_saved")
