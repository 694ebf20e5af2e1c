"""The platform's FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.shared import localtime
from backend.shared.body_limit import BodyLimit, RouteLimit
from backend.shared.protocol import MAX_BATCH_BYTES
from backend.shared.service_notify import notifying

from .api.errors import install_error_handlers
from .api.routes import (
    alerts,
    applications,
    audit,
    auth,
    certificates,
    commands,
    community,
    demo_identity,
    health,
    metrics,
    notices,
    notifications,
    open311,
    open311_keys,
    org,
    phone,
    register,
    releases,
    revocations,
    stations,
    stream,
    sync,
    tickets,
    trust,
    users,
    volunteers,
)
from .console import web as console
from .runtime import PlatformRuntime, build_runtime
from .settings import PlatformSettings

ROUTERS = (health, sync, trust, auth, org, stations, commands, alerts, register, notices, revocations,
           users, audit, stream, metrics, tickets, open311_keys, open311, applications, certificates, phone,
           demo_identity, notifications, releases, volunteers, community, console)
# Bodies are 1 MiB at most, but for the routes that expect more (checked before reading them).
MULTIPART_SLACK = 1024 * 1024  # the form's own framing around an uploaded file
BODY_LIMITS = (
    RouteLimit("POST", r"/api/sync/events", MAX_BATCH_BYTES),
    RouteLimit("POST", r"/api/staff/communities/[^/]+/register", register.MAX_FILE + MULTIPART_SLACK),
    RouteLimit("POST", r"/console/register", register.MAX_FILE + MULTIPART_SLACK),
    RouteLimit("POST", r"/api/staff/releases", releases.MAX_RELEASE),
    RouteLimit("POST", r"/api/staff/communities/[^/]+/volunteers/import",
               volunteers.MAX_FILE + MULTIPART_SLACK),
    RouteLimit("POST", r"/console/updates/releases", releases.MAX_RELEASE + MULTIPART_SLACK),
    RouteLimit("POST", r"/api/staff/accounts/[^/]+/[^/]+", community.MAX_LEDGER + MULTIPART_SLACK),
    RouteLimit("POST", r"/console/community/accounts", community.MAX_LEDGER + MULTIPART_SLACK),
)


def create_app(settings: PlatformSettings | None = None, *,
               runtime: PlatformRuntime | None = None) -> FastAPI:
    """Build the platform app; the runtime (database, live bus, sweep) starts with the server."""
    if runtime is None:
        settings = settings or PlatformSettings()
        localtime.configure(settings.timezone)  # before anything renders a date
        runtime = build_runtime(settings)
    else:
        localtime.configure(runtime.settings.timezone)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runtime.start()
        try:
            async with notifying("platform serving"):
                yield
        finally:
            runtime.stop()

    # The API description is a map for attackers too: served in the demo, in production only when
    # KIOSK_PLATFORM_API_DOCS=true.
    docs = runtime.settings.docs_enabled
    app = FastAPI(title="One-window platform (一窗受理)", version="0.1.0", lifespan=lifespan,
                  docs_url="/docs" if docs else None, redoc_url="/redoc" if docs else None,
                  openapi_url="/openapi.json" if docs else None)
    app.state.runtime = runtime
    install_error_handlers(app)
    app.add_middleware(BodyLimit, routes=BODY_LIMITS)  # outermost: before routing or verifying
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(register.templates)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings from KIOSK_PLATFORM_* (set by ``kiosk platform``)."""
    return create_app(PlatformSettings())
