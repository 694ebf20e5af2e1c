"""The station's FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.shared import localtime
from backend.shared.body_limit import BodyLimit
from backend.shared.service_notify import notifying

from .api.caller import CallerAuth, new_token
from .api.errors import install_error_handlers
from .api.routes import (
    applications,
    certificates,
    community,
    components,
    events,
    health,
    maintenance,
    metrics,
    notices,
    parts,
    phone_link,
    screen,
    sessions,
    sim,
    station,
    tickets,
    verify,
)
from .runtime import StationRuntime, build_runtime
from .settings import StationSettings

ROUTERS = (health, station, components, sessions, certificates, applications, verify, events, sim,
           maintenance, metrics, tickets, phone_link, screen, notices, parts, community)


def create_app(settings: StationSettings | None = None, *,
               runtime: StationRuntime | None = None) -> FastAPI:
    """Build the station app; the runtime (devices, database, keys) starts with the server."""
    if runtime is None:
        settings = settings or StationSettings()
        localtime.configure(settings.timezone)  # before anything renders a date
        runtime = build_runtime(settings)
    else:
        localtime.configure(runtime.settings.timezone)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runtime.start()
        try:
            async with notifying("station serving"):
                yield
        finally:
            runtime.stop()

    docs = runtime.settings.docs_enabled  # the API's map: the demo's, production's only when asked
    app = FastAPI(title="Station backend", version="0.1.0", lifespan=lifespan,
                  docs_url="/docs" if docs else None, redoc_url="/redoc" if docs else None,
                  openapi_url="/openapi.json" if docs else None)
    app.state.runtime = runtime
    app.add_middleware(CallerAuth, token=new_token(runtime.settings.data_dir))
    app.add_middleware(BodyLimit)  # outermost: 1 MiB, refused before the token check or any parsing
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    return app
