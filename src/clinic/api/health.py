"""Liveness and readiness probes."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from clinic.api.deps import SessionDep
from clinic.api.problems import problem

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(session: SessionDep) -> dict[str, str] | JSONResponse:
    """The database answers; 503 otherwise, so a load balancer stops sending traffic."""
    try:
        await session.execute(text("SELECT 1"))
    except Exception:
        await session.rollback()
        return problem(503, "not-ready", "Not ready", "the database is not reachable")
    return {"status": "ready"}
