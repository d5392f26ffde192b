"""The FastAPI application: routers, problem+json errors, and the database lifecycle."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from clinic.admin.mount import mount_staff_ui
from clinic.api.auth import configured_tokens
from clinic.api.health import router as health_router
from clinic.api.hot import HotRoutes
from clinic.api.metrics import install_metrics
from clinic.api.middleware import RequestContextMiddleware
from clinic.api.openapi import install_openapi
from clinic.api.problems import UnexpectedErrorMiddleware, install_problem_handlers
from clinic.api.proxies import TrustedProxyMiddleware, parse_proxies
from clinic.appointments.router import router as appointments_router
from clinic.availability.router import router as slots_router
from clinic.core.body_limit import BodySizeLimit
from clinic.core.database import DriverPool, create_engine, create_sessionmaker, database_url
from clinic.core.settings import API_SECRETS, Settings, get_settings
from clinic.doctors.router import router as doctors_router
from clinic.holds.router import router as holds_router
from clinic.waitlist.router import router as waitlist_router

DESCRIPTION = """
The clinic's system of record: doctors, specialties, working hours, free slots and appointments.
A doctor can never be double-booked: PostgreSQL itself refuses overlapping appointments.

Times: a datetime without an offset means the clinic's wall clock; every response has an offset.
Errors are `application/problem+json` (RFC 9457).
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    # Starting an embedded PostgreSQL blocks for a moment; keep the event loop free.
    url = await run_in_threadpool(database_url, settings)
    engine = create_engine(url, settings)
    metrics = app.state.metrics
    metrics.count_pool(engine)
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    # The hot routes' own connections (clinic.api.hot), counted with the engine's.
    app.state.database = DriverPool(url, settings, on_connect=metrics.connections_opened.inc)
    try:
        yield
    finally:
        await app.state.database.close()
        await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.refuse_insecure_production(API_SECRETS)
    # /docs and /redoc with Swagger UI and ReDoc served from a package, not a CDN: they work
    # offline. No validator badge either: it would ask swagger.io about our schema.
    app = FastAPIOffline(
        swagger_ui_parameters={"validatorUrl": None},
        title="Clinic Appointments",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.tokens = configured_tokens(settings)
    install_problem_handlers(app)
    # Middleware added later wraps what was added before: the hot routes' lane sits innermost,
    # then the error catcher, so the metrics and the access line see the 500/503 it answers.
    app.add_middleware(HotRoutes, api=app)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.state.metrics = install_metrics(app)
    # Requests are matched against the routes in order: the busiest paths come first (the
    # prefixes do not overlap, so the order changes nothing else).
    routers = (
        appointments_router,
        slots_router,
        holds_router,
        doctors_router,
        waitlist_router,
        health_router,
    )
    for router in routers:
        app.include_router(router)
    install_openapi(app)
    mount_staff_ui(app, settings)
    # Before routing and auth: an oversized body is refused, never read.
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    # Outermost: every layer below sees the real client address and Host.
    app.add_middleware(TrustedProxyMiddleware, proxies=parse_proxies(settings.trusted_proxies))
    return app


def create_served_app() -> FastAPI:
    """The app as `clinic serve` runs it, in each worker process: logging, then the app."""
    from clinic.core.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    app = create_app(settings)
    # Modules, routes and schemas live as long as the process: kept out of the collector's
    # generations, they are not traversed again by every full collection under load.
    gc.freeze()
    return app
