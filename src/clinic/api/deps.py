"""Request dependencies: the unit of work, settings and the caller's role.

All of them are `async def`: FastAPI runs a plain `def` dependency in the threadpool, and a
thread hop on every request costs more than the work these do.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.api.auth import require_admin_role, role_for
from clinic.api.openapi import BEARER
from clinic.core.database import unit_of_work
from clinic.core.settings import Role, Settings, get_settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's one transaction: committed when the handler succeeds, else rolled back."""
    # A context manager, not a nested generator: an error raised in the handler is thrown in
    # here at `yield` and must reach the rollback right away, not when the GC runs.
    async with unit_of_work(request.app.state.sessionmaker) as session:
        yield session


async def current_settings() -> Settings:
    """The process's settings (cached; an async wrapper so no request hops to a thread)."""
    return get_settings()


async def current_role(
    request: Request,
    # Declared for the OpenAPI security scheme; role_for reads the header itself, so every
    # malformed variant gets the same 401.
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Role:
    return role_for(request.app.state.tokens, request.headers.get("authorization"))


async def admin_role(role: Annotated[Role, Depends(current_role)]) -> Role:
    require_admin_role(role)
    return role


# scope="function": commit before the response is sent, so a 201 means the row is stored.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(current_settings)]
CurrentRole = Annotated[Role, Depends(current_role)]
AdminRole = Annotated[Role, Depends(admin_role)]
