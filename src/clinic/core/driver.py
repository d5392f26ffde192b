"""Hot-path statements: written with SQLAlchemy Core, compiled once, run by asyncpg itself.

Executing a large Core statement through SQLAlchemy costs about half a millisecond of Python
per call (its cache key, parameter and result processing), more than the round trip; the
booking path measured 1.7 ms for its two statements through a session against 0.5 ms run by
the driver. So the booking and slot-search statements are compiled to asyncpg's SQL once and
sent on the session's own connection, inside the session's transaction: the request's unit of
work still commits or rolls them back, and tests still see them in their rolled-back
transaction.

The hot routes (`clinic.api.hot`) pass a bare asyncpg connection instead of a session: there
each statement runs on its own, in autocommit, so the booking's write is one atomic statement
and neither BEGIN nor COMMIT is sent.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
_DBAPI: Any = PGDialect_asyncpg.import_dbapi()  # type: ignore[no-untyped-call]
# session.info key: (transaction, asyncpg connection, SQLAlchemy's adapter of it)
_CACHED = "clinic.driver_connection"

# What the booking and slot services run their statements on: a request's session (its
# transaction), or a connection of the hot routes' pool (every statement in autocommit).
Executor: TypeAlias = AsyncSession | asyncpg.Connection


@dataclass(frozen=True)
class DriverStatement:
    """A Core statement's SQL for asyncpg, and the names of its positional parameters."""

    sql: str
    names: tuple[str, ...]
    constants: Mapping[str, Any]  # values bound in the statement itself (literals)

    @classmethod
    def compile(cls, statement: ClauseElement) -> "DriverStatement":
        compiled = statement.compile(dialect=_DIALECT)
        assert isinstance(compiled, SQLCompiler)
        names = tuple(compiled.positiontup or ())
        return cls(str(compiled), names, dict(compiled.params))

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        constants = self.constants
        return [parameters[n] if n in parameters else constants[n] for n in self.names]


async def driver_connection(session: AsyncSession, *, begin: bool = True) -> asyncpg.Connection:
    """The asyncpg connection under the session, with the session's transaction begun (or,
    with `begin=False`, as it stands: a lone read needs no transaction of its own)."""
    # Looked up once per transaction: each lookup crosses SQLAlchemy's greenlet bridge twice.
    transaction = session.get_transaction()
    cached = session.info.get(_CACHED)
    if cached is None or transaction is None or cached[0] is not transaction:
        raw = await (await session.connection()).get_raw_connection()
        cached = (session.get_transaction(), raw.driver_connection, raw.dbapi_connection)
        session.info[_CACHED] = cached
    connection, adapted = cached[1], cast(Any, cached[2])
    # SQLAlchemy's asyncpg adapter sends BEGIN lazily, just before its first statement, and
    # COMMIT or ROLLBACK with the session. Statements sent to the driver directly must come
    # after that BEGIN to belong to the transaction.
    if begin and adapted._transaction is None:
        await adapted._start_transaction()
    driver: asyncpg.Connection = connection
    return driver


async def fetch(
    session: Executor,
    statement: DriverStatement,
    parameters: Mapping[str, Any],
    *,
    begin: bool = True,
) -> Sequence[asyncpg.Record]:
    """Run the statement in the session's transaction (with `begin=False`, outside one if
    none has begun: a lone read skips BEGIN and COMMIT); its rows, in one round trip.

    Errors are raised as SQLAlchemy raises them (IntegrityError, ProgrammingError, ...), so
    the rest of the application sees one kind of database error. On a bare connection
    the statement runs in autocommit and asyncpg's errors are raised as they are."""
    if not isinstance(session, AsyncSession):  # asyncpg's, or its pool's proxy of one
        bare: Sequence[asyncpg.Record] = await session.fetch(
            statement.sql, *statement.arguments(parameters)
        )
        return bare
    connection = await driver_connection(session, begin=begin)
    try:
        rows: Sequence[asyncpg.Record] = await connection.fetch(
            statement.sql, *statement.arguments(parameters)
        )
    except Exception as error:
        raise _as_sqlalchemy_error(session, statement, error) from error
    return rows


def _as_sqlalchemy_error(
    session: AsyncSession, statement: DriverStatement, error: Exception
) -> Exception:
    adapted: Any = session.info[_CACHED][2]
    try:
        # The adapter's own translation (it also forgets a transaction a lost connection took).
        adapted._handle_exception(error)
    except _DBAPI.Error as translated:
        wrapped: Exception = DBAPIError.instance(
            statement.sql, None, translated, _DBAPI.Error, hide_parameters=True
        )
        return wrapped
    except Exception as untranslated:
        return untranslated
    return error


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a database error, raised by asyncpg or wrapped by SQLAlchemy."""
    orig = getattr(error, "orig", None)
    for candidate in (error, orig, getattr(orig, "__cause__", None), error.__cause__):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if state:
            return str(state)
    return None
