"""Liveness and readiness probes."""

from fastapi import APIRouter
from sqlalchemy import text

from clinic.api.deps import SessionDep
from clinic.api.openapi import problems

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/ready", responses=problems(503))
async def ready(session: SessionDep) -> dict[str, str]:
    """The database answers; 503 with Retry-After otherwise, so a load balancer stops sending
    traffic (the error middleware answers for a database that is away or frozen)."""
    await session.execute(text("SELECT 1"))
    return {"status": "ready"}
