"""Database sessions for the staff UI, from the same engine and unit of work as the API."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from clinic.core.database import unit_of_work

__all__ = ["AppSessionMaker", "unit_of_work"]


class AppSessionMaker(async_sessionmaker[AsyncSession]):
    """Hands out sessions of `app.state.sessionmaker`, looked up at call time.

    SQLAdmin wants a session maker when it is mounted, but the engine only exists once the
    app's lifespan has started (and tests swap in one bound to their rolled-back transaction).
    """

    def __init__(self, app: Starlette) -> None:
        super().__init__(class_=AsyncSession)
        self._app = app

    @property
    def target(self) -> async_sessionmaker[AsyncSession]:
        maker: async_sessionmaker[AsyncSession] = self._app.state.sessionmaker
        return maker

    def __call__(self, **local_kw: Any) -> AsyncSession:
        return self.target(**local_kw)
