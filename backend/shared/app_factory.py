"""What the station's and the platform's app factories share.

Each side builds its runtime and adds its own middleware and routers; this module holds the rest
once: the local time zone set before anything renders a date, the lifespan that starts and stops
the runtime's workers (and tells the service manager), the API map served only when enabled, the
JSON error handlers, and the body limit outermost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Protocol, TypeVar

from fastapi import FastAPI
from starlette.middleware import Middleware

from . import localtime
from .api_errors import install_error_handlers
from .body_limit import BodyLimit, RouteLimit
from .service_notify import notifying


class ZonedSettings(Protocol):
    @property
    def timezone(self) -> str: ...


class SettledRuntime(Protocol):
    @property
    def settings(self) -> ZonedSettings: ...


S = TypeVar("S", bound=ZonedSettings)
R = TypeVar("R", bound=SettledRuntime)


def runtime_in_zone(runtime: R | None, settings: S | None, *,
                    default_settings: Callable[[], S], build: Callable[[S], R]) -> R:
    """Return the runtime given, or build one from the settings; the local zone is set first."""
    if runtime is None:
        chosen = settings or default_settings()
        localtime.configure(chosen.timezone)  # before anything renders a date
        return build(chosen)
    localtime.configure(runtime.settings.timezone)
    return runtime


def service_app(*, title: str, runtime: object, docs: bool, serving: str,
                start: Callable[[], None], stop: Callable[[], None],
                middleware: Sequence[Middleware] = (), body_limits: Sequence[RouteLimit] = ()) -> FastAPI:
    """Build an API app holding ``runtime``: workers run while it serves, errors answer as JSON.

    ``middleware`` is listed innermost first; the body limit wraps it all, so an oversized request
    is refused before routing, authentication or signature checks.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        start()
        try:
            async with notifying(serving):
                yield
        finally:
            stop()

    # The API description is a map for attackers too: served when the settings say so.
    app = FastAPI(title=title, version="0.1.0", lifespan=lifespan,
                  docs_url="/docs" if docs else None, redoc_url="/redoc" if docs else None,
                  openapi_url="/openapi.json" if docs else None)
    app.state.runtime = runtime
    install_error_handlers(app)
    for layer in middleware:
        app.add_middleware(layer.cls, *layer.args, **layer.kwargs)
    app.add_middleware(BodyLimit, routes=body_limits)
    return app
