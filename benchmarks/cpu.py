"""CPU time a server and the PostgreSQL backends serving it spend, read from /proc.

Throughput on a shared 2-core machine moves with whatever else runs; CPU time per request
does not (much): when the server, PostgreSQL and wrk are all CPU-bound, the ratio of two
servers' CPU per request is what their throughput ratio tends to on a quiet machine.

A server's backends are found without its help: the local TCP ports of the server's
sockets (and its children's) are matched against `pg_stat_activity.client_port`. Over a
Unix socket there is no port to match and the database share is not counted (None).
"""

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import asyncpg

TICK = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def process_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process (None once it is gone)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields start after the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def process_tree(pid: int) -> list[int]:
    """The process and its living descendants (uvicorn's workers, when there are several)."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        for task in _listdir(PROC / str(current) / "task"):
            try:
                children = (PROC / str(current) / "task" / task / "children").read_text()
            except OSError:
                continue
            pending.extend(int(child) for child in children.split())
    return tree


def _listdir(path: Path) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def local_ports(pids: Iterable[int]) -> set[int]:
    """The local TCP ports of every socket the processes hold open."""
    inodes: set[str] = set()
    for pid in pids:
        fd_dir = PROC / str(pid) / "fd"
        for fd in _listdir(fd_dir):
            try:
                target = os.readlink(fd_dir / fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    ports: set[int] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            columns = line.split()
            if columns[9] in inodes:
                ports.add(int(columns[1].rsplit(":", 1)[1], 16))
    return ports


@dataclass(frozen=True)
class CpuSnapshot:
    server: dict[int, float]  # pid -> CPU seconds, the server's process tree
    backends: dict[int, float] | None  # pid -> CPU seconds, its PostgreSQL backends


@dataclass(frozen=True)
class CpuSpent:
    server: float  # seconds
    database: float | None  # seconds; None when the backends could not be told apart


async def snapshot(db: asyncpg.Connection, server_pid: int) -> CpuSnapshot:
    tree = process_tree(server_pid)
    server = {pid: seconds for pid in tree if (seconds := process_seconds(pid)) is not None}
    # Over a Unix socket (the embedded PostgreSQL) every client_port is -1: nothing to match.
    own_port = await db.fetchval(
        "SELECT client_port FROM pg_stat_activity WHERE pid = pg_backend_pid()"
    )
    if own_port is None or own_port < 0:
        return CpuSnapshot(server, None)
    rows = await db.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND client_port = ANY($1::int[])",
        sorted(local_ports(tree)),
    )
    backends = {
        r["pid"]: seconds for r in rows if (seconds := process_seconds(r["pid"])) is not None
    }
    return CpuSnapshot(server, backends)


def spent(before: CpuSnapshot, after: CpuSnapshot) -> CpuSpent:
    """CPU spent between two snapshots; a process that appeared in between counts whole."""
    server = sum(after.server[p] - before.server.get(p, 0.0) for p in after.server)
    database = None
    if after.backends is not None:
        earlier = before.backends or {}
        database = sum(after.backends[p] - earlier.get(p, 0.0) for p in after.backends)
    return CpuSpent(server, database)
