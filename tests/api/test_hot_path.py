"""What every request pays for: no thread hops, metrics without a route scan."""

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from httpx import AsyncClient

from clinic.api.app import create_app
from clinic.core.settings import Settings
from tests.conftest import LiveServer


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def _is_async(call: Callable[..., Any]) -> bool:
    # A class instance (HTTPBearer) is called through its __call__.
    target = call if inspect.isroutine(call) else type(call).__call__
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
            yield from _api_routes(route.original_router.routes)


def test_no_route_runs_a_dependency_or_handler_in_the_threadpool(settings: Settings) -> None:
    # FastAPI runs a plain `def` dependency or endpoint in a worker thread, on every request.
    routes = list(_api_routes(create_app(settings).routes))
    sync = [
        f"{route.path}: {getattr(call, '__name__', call)}"
        for route in routes
        for call in (route.endpoint, *_calls(route.dependant))
        if not _is_async(call)
    ]
    assert len(routes) > 20  # every router's routes, not only the app's own
    assert sync == []


async def test_metrics_label_requests_by_route_template(client: AsyncClient) -> None:
    await client.get("/appointments/12345", headers={"Authorization": "Bearer x"})
    await client.get("/no/such/route")

    text = (await client.get("/metrics")).text

    assert 'handler="/appointments/{appointment_id}"' in text
    assert 'handler="none"' in text  # unmatched paths never become labels
    assert "/appointments/12345" not in text
    assert "/no/such/route" not in text
    assert 'handler="/metrics"' not in text


async def test_metrics_count_the_connections_the_pool_opened(fresh_api: LiveServer) -> None:
    async with AsyncClient(base_url=fresh_api.url) as http:
        for _ in range(5):
            assert (await http.get("/ready")).status_code == 200
        text = (await http.get("/metrics")).text

    # Sequential requests share one connection.
    assert "\nclinic_db_connections_opened_total 1.0\n" in text
