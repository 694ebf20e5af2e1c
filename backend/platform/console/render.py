"""Rendering console pages: the Jinja2 environment, page helpers, and the route class that turns
errors into pages (an expired session into the sign-in page, a refusal into a readable page)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from backend.shared import localtime
from backend.shared.errors import INTERNAL, NOT_FOUND, VALIDATION, AppError

from .i18n import WORDS, error_words, words
from .machine_text import helpers, refusal
from .session import (
    PASSWORD_PAGE,
    ConsoleUser,
    PasswordChangeRequired,
    SignInRequired,
    language,
    signin_url,
    user_if_signed_in,
)

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).with_name("templates")

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def local_time(value: str | datetime | None, fmt: str = "%m-%d %H:%M:%S") -> str:
    """Show a stored UTC time on the district's clock."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return localtime.local_text(moment, fmt)


def duration(seconds: float | int | None, lang: str) -> str:
    """Say a duration briefly: 45 秒, 12 分, 3 小时, 2 天."""
    if seconds is None:
        return "—"
    value = int(seconds)
    units = (("天", "d", 86400), ("小时", "h", 3600), ("分", "min", 60))
    for zh, en, size in units:
        if value >= size:
            return f"{value // size} {en if lang == 'en' else zh}"
    return f"{value} {'s' if lang == 'en' else '秒'}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


_env.filters.update(local_time=local_time, percent=percent)


def render(request: Request, template: str, *, user: ConsoleUser | None, status: int = 200,
           **context: Any) -> HTMLResponse:
    """Render a page with the frame's context: language, user, messages, CSRF token."""
    lang = language(request)
    error = request.query_params.get("error")
    page = {
        "request": request, "lang": lang, "user": user, "csrf": user.csrf if user else "",
        "t": lambda key: words(lang, key), "tw": lambda pair: _pick(pair, lang),
        "duration": lambda s: duration(s, lang), "here": _here(request),
        "error_text": lambda code: refusal(lang, str(code)),
        "said": lambda prefix, value: words(lang, f"{prefix}.{value}") if f"{prefix}.{value}" in WORDS
        else str(value),
        "notice": words(lang, done) if (done := request.query_params.get("done", "")) in WORDS else "",
        "error_message": _error_message(request, lang, error) if error else "",
        "error_field": request.query_params.get("field", ""),
    }
    page |= helpers(lang)
    html = _env.get_template(template).render(**page | context)
    return HTMLResponse(html, status_code=status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": CSP, "Referrer-Policy": "same-origin"})


# Everything the console loads is its own: no CDN, no inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def _error_message(request: Request, lang: str, code: str) -> str:
    """An error's words; when a form field was wrong, the field's name and why come first."""
    message = error_words(lang, code) or ""
    field, why = request.query_params.get("field", ""), request.query_params.get("why", "")
    if f"field.{field}" in WORDS:
        reason = words(lang, f"why.{why}") if f"why.{why}" in WORDS else message
        return f"{words(lang, f'field.{field}')}：{reason}" if lang != "en" else \
            f"{words(lang, f'field.{field}')}: {reason}"
    return message


def _pick(pair: Any, lang: str) -> str:
    if isinstance(pair, dict):
        return str(pair.get(lang) or pair.get("zh") or "")
    return "" if pair is None else str(pair)


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def back(to: str, *, done: str | None = None, error: AppError | None = None,
         field: FieldProblem | None = None) -> RedirectResponse:
    """Redirect after a post (303), saying what happened. No anchor: the page's script puts the
    person back where they were, and the result shows as a toast in view (an anchor jump left it
    off-screen)."""
    query = {"done": done} if done else {"error": error.code} if error else {}
    if error and field:
        query |= {"field": field[0], "why": field[1]}
    target = to + (("&" if "?" in to else "?") + urlencode(query) if query else "")
    return RedirectResponse(target, status_code=303)


# The form field that was wrong and why (a ``why.*`` key): the message names it.
FieldProblem = tuple[str, str]
WHY = {"missing": "empty", "string_too_short": "empty", "too_short": "empty", "string_too_long": "too_long",
       "greater_than_equal": "range", "less_than_equal": "range", "greater_than": "range",
       "less_than": "range"}


def field_problem(err: ValidationError, names: dict[str, str] | None = None) -> FieldProblem:
    """The first wrong field of a validation error, as (field key, why key)."""
    first = err.errors()[0]
    loc = [str(p) for p in first["loc"] if not isinstance(p, int)]
    name = loc[-1] if loc else ""
    return (names or {}).get(name, name), WHY.get(str(first["type"]), "invalid")


async def error_page(request: Request, error: AppError) -> HTMLResponse:
    """A refusal as a page in words (never a code), inside the frame: a signed-in user keeps the
    navigation."""
    lang = language(request)
    message = error_words(lang, error.code) or words(lang, "error.unknown")
    if error.status == 404:
        message = words(lang, "error.not_found")
    user = await _user_if_any(request)
    return render(request, "error.html", user=user, status=error.status, message=message,
                  code=error.code)


async def _user_if_any(request: Request) -> ConsoleUser | None:
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        return None
    try:
        return await user_if_signed_in(request, runtime)
    except Exception:  # the error page itself must not fail: shown without the navigation
        log.exception("console error page could not load the session")
        return None


class ConsoleRoute(APIRoute):
    """A console route: no session → the sign-in page; an AppError → a page, never JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                return RedirectResponse(signin_url(request), status_code=303)
            except PasswordChangeRequired:
                return RedirectResponse(PASSWORD_PAGE, status_code=303)
            except AppError as err:
                return await error_page(request, err)
            except RequestValidationError as err:
                fields = [".".join(str(p) for p in e["loc"] if p != "body") for e in err.errors()][:5]
                return await error_page(request, AppError(VALIDATION, detail="; ".join(fields)))
            except HTTPException as err:
                code = NOT_FOUND if err.status_code == 404 else VALIDATION
                return await error_page(request, AppError(code))
            except Exception:  # a page, never a traceback, even for a bug
                log.exception("console page %s %s failed", request.method, request.url.path)
                return await error_page(request, AppError(INTERNAL))

        return run
