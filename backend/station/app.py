"""The station's FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware import Middleware

from backend.shared.app_factory import runtime_in_zone, service_app

from .api.caller import CallerAuth, new_token
from .api.routers import ROUTERS
from .lifecycle import StationWorkers
from .runtime import StationRuntime, build_runtime
from .settings import StationSettings


def create_app(settings: StationSettings | None = None, *,
               runtime: StationRuntime | None = None) -> FastAPI:
    """Build the station app; the runtime (devices, database, keys) starts with the server."""
    runtime = runtime_in_zone(runtime, settings, default_settings=StationSettings, build=build_runtime)
    workers = StationWorkers(runtime)
    # The API's map: the demo's, production's only when asked. Bodies over 1 MiB are refused
    # before the token check or any parsing.
    app = service_app(title="Station backend", runtime=runtime, docs=runtime.settings.docs_enabled,
                      serving="station serving", start=workers.start, stop=workers.stop,
                      middleware=[Middleware(CallerAuth, token=new_token(runtime.settings.data_dir))])
    for router in ROUTERS:
        app.include_router(router)
    return app
