"""`make bench`: the real API against a minimal FastAPI app, driven by wrk, in one run.

Starts, against one PostgreSQL and a database of its own:
- the reference: benchmarks/minimal_app.py (FastAPI + one asyncpg INSERT);
- the clinic API exactly as deployed (`clinic serve`), on the same uvicorn stack;
and drives both with wrk (Lua: every booking request is a distinct valid free slot). Rounds
are interleaved and medians reported, with ratios taken within each round, because the
machine is shared and absolute numbers drift. Then:
- database connections opened after warm-up (pg_stat_database.sessions);
- round trips per request, counted on the wire by a proxy (benchmarks/pg_probe.py).

    make bench                      # or: uv run python benchmarks/http_bench.py --help
    uv run python -m benchmarks.http_bench --only slots   # the minimal app and GET /slots

The server is BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the embedded PostgreSQL.
"""

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from benchmarks import cpu
from benchmarks.minimal_app import TABLE_DDL
from benchmarks.pg_probe import RoundTripProxy
from sqlalchemy.engine import make_url

from clinic.core.database import async_url, embedded_server_url
from clinic.core.migrations import upgrade_head
from clinic.core.settings import DEFAULT_POOL_SIZE, get_settings
from clinic.core.timeutils import utcnow
from clinic.scheduling.slots import DoctorSchedule, Interval, day_slots

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "benchmarks" / "wrk" / "replay.lua"
TOKEN = "bench-token"
GROUP = 5  # doctors per bench specialty: a 409 looks for alternatives among a handful
SLOT_MINUTES = 15
MAX_RPS = 4000  # request lines prepared per second of a run; a faster run wraps (reported)
WARM_UP_SECONDS = 2
SLOT_LIMIT = 3  # GET /slots asks for the three nearest, as the bot does
PROBE_REQUESTS = 40

# Bench doctors work 08:00-20:00 every day in 15-minute slots (a busy clinic); the
# slot-search doctors keep ordinary hours with a lunch break.
OPEN, CLOSE = datetime.strptime("08:00", "%H:%M").time(), datetime.strptime("20:00", "%H:%M").time()
BENCH_HOURS = [Interval(OPEN, CLOSE)]
SETUP_SQL = """
INSERT INTO specialty (code, name_ru, name_en)
SELECT 'bench' || g, 'Бенч ' || g, 'Bench ' || g FROM generate_series(1, $1::int) g;
INSERT INTO specialty (code, name_ru, name_en) VALUES ('slots', 'Слоты', 'Slots');
INSERT INTO doctor (full_name, specialty_id, slot_minutes)
SELECT 'Врач ' || s.code || '-' || n, s.id, 15
FROM specialty s, generate_series(1, 5) n WHERE s.code LIKE 'bench%' ORDER BY s.id, n;
INSERT INTO doctor (full_name, specialty_id, slot_minutes)
SELECT 'Терапевт ' || n, s.id, 20 FROM specialty s, generate_series(1, 3) n WHERE s.code = 'slots';
INSERT INTO working_hours (doctor_id, weekday, start_time, end_time)
SELECT d.id, w, '08:00', '20:00'
FROM doctor d JOIN specialty s ON s.id = d.specialty_id, generate_series(0, 6) w
WHERE s.code LIKE 'bench%';
INSERT INTO working_hours (doctor_id, weekday, start_time, end_time)
SELECT d.id, w, h.s::time, h.e::time
FROM doctor d JOIN specialty s ON s.id = d.specialty_id, generate_series(0, 4) w,
     (VALUES ('09:00', '13:00'), ('14:00', '18:00')) h(s, e)
WHERE s.code = 'slots';
"""
# The next two weeks of the slot-search doctors' mornings are 70% booked (of every ten
# slots the last three are free): the search has real gaps to find.
FUTURE_SQL = """
INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, source)
SELECT d.id, 'Пациент', t, t + interval '20 minutes', 'scheduled', 'api'
FROM doctor d JOIN specialty s ON s.id = d.specialty_id,
     generate_series(1, 14) day, generate_series(0, 11) k,
     LATERAL (SELECT ((current_date + day) + time '09:00' + k * interval '20 minutes')
              AT TIME ZONE $1 AS t) slot
WHERE s.code = 'slots' AND extract(isodow FROM current_date + day) < 6 AND k % 10 < 7
"""
# Past appointments of the slot-search doctors, back to back before today: rows n in
# [$1, $2] per doctor, so the 1M load continues where the 10k load stopped.
HISTORY_SQL = """
INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, source)
SELECT d.id, 'Пациент ' || n,
       date_trunc('day', now()) - n * interval '20 minutes',
       date_trunc('day', now()) - (n - 1) * interval '20 minutes',
       CASE WHEN n % 10 = 0 THEN 'cancelled' ELSE 'completed' END, 'api'
FROM doctor d JOIN specialty s ON s.id = d.specialty_id, generate_series($1::int, $2::int) n
WHERE s.code = 'slots'
"""


@dataclass(frozen=True)
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    wraps: int
    socket_errors: int
    # CPU milliseconds per completed request: the server's processes, its PostgreSQL backends
    # (None when they cannot be told apart), both
    cpu_server_ms: float | None = None
    cpu_db_ms: float | None = None

    @property
    def cpu_ms(self) -> float | None:
        if self.cpu_server_ms is None or self.cpu_db_ms is None:
            return None
        return self.cpu_server_ms + self.cpu_db_ms


@dataclass
class Scenario:
    label: str
    expected: int  # the status every response of the run should have
    reference: str | None = None  # ratio against this scenario, within each round
    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)

    def cpu_median(self, attribute: str) -> float | None:
        values = [getattr(run, attribute) for run in self.runs]
        return None if None in values else statistics.median(values)


class SlotPool:
    """Free slots of the bench doctors, each handed out once, in time order across doctors."""

    def __init__(self, doctors: Sequence[int], tz: Any, first: date, last: date) -> None:
        self.doctors = list(doctors)
        self.free: dict[int, deque[datetime]] = {}
        for doctor in self.doctors:
            schedule = DoctorSchedule(doctor, SLOT_MINUTES, {w: BENCH_HOURS for w in range(7)})
            self.free[doctor] = deque(
                slot.start for day in _days(first, last) for slot in day_slots(schedule, day, tz)
            )
        self._turn = 0

    def take(self, count: int) -> list[tuple[int, datetime]]:
        taken = []
        while len(taken) < count:
            doctor = self.doctors[self._turn % len(self.doctors)]
            self._turn += 1
            taken.append((doctor, self.take_for(doctor)))
        return taken

    def take_for(self, doctor: int) -> datetime:
        if not self.free[doctor]:
            raise RuntimeError("the bench clinic ran out of free slots; run fewer seconds")
        return self.free[doctor].popleft()


def _days(first: date, last: date) -> Iterator[date]:
    while first <= last:
        yield first
        first += timedelta(days=1)


def _booking_line(doctor: int, start: datetime, key: str) -> str:
    body = {"patient_name": "Bench Patient", "doctor_id": doctor, "start_time": start.isoformat()}
    return f"POST\t/appointments\t{key}\t{json.dumps(body)}"


class Bench:
    def __init__(self, options: argparse.Namespace, url: str, workdir: Path) -> None:
        self.options = options
        self.url = url  # the bench database, postgresql+asyncpg://
        self.dsn = make_url(url).set(drivername="postgresql").render_as_string(False)
        self.workdir = workdir
        self.processes: list[subprocess.Popen[bytes]] = []
        self.pids: dict[str, int] = {}  # base URL -> the server's pid
        self.db: asyncpg.Connection | None = None  # reads pg_stat_activity for the CPU
        self.files = 0

    # --- servers ---------------------------------------------------------------------------

    def start_api(self, database_url: str, name: str) -> str:
        port = _free_port()
        env = os.environ | {
            "DATABASE_URL": database_url,
            "API_TOKENS": f"admin:{TOKEN}",
            "ENVIRONMENT": "local",
            "LOG_LEVEL": "INFO",  # the access log stays on: it is part of the product
            "WEB_CONCURRENCY": "1",  # one process, as the minimal app
            "DATA_DIR": str(self.workdir / "data"),
        }
        command = [sys.executable, "-m", "clinic.cli", "serve", "--port", str(port)]
        return self._start(command, env, name, port)

    def start_minimal(self) -> str:
        port = _free_port()
        env = os.environ | {
            "BENCH_MINIMAL_DSN": self.dsn,
            "BENCH_MINIMAL_POOL": str(self.options.minimal_pool),
        }
        command = [
            *(sys.executable, "-m", "uvicorn", "benchmarks.minimal_app:app"),
            *("--port", str(port), "--no-access-log", "--log-level", "warning"),
        ]
        return self._start(command, env, "minimal", port)

    def _start(self, command: list[str], env: dict[str, str], name: str, port: int) -> str:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
        )
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        self.pids[base] = process.pid
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{(self.workdir / f'{name}.log').read_text()}")
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not start in 60 s")

    async def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        # Waited for without blocking the loop: the probe's proxy runs in it.
        for process in self.processes:
            await asyncio.to_thread(process.wait, 30)
        self.processes.clear()

    # --- load ------------------------------------------------------------------------------

    def write_lines(self, lines: Sequence[str]) -> Path:
        self.files += 1
        path = self.workdir / f"requests-{self.files}.tsv"
        path.write_text("\n".join(lines) + "\n")
        return path

    async def wrk(
        self, base: str, lines: Path, seconds: float, *, connections: int, threads: int
    ) -> Run:
        command = [
            *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"),
            *("-s", str(LUA), base, "--", str(lines), str(threads), TOKEN),
        ]
        pid = self.pids.get(base)
        measured = self.db is not None and pid is not None
        before = await cpu.snapshot(self.db, pid) if measured else None  # type: ignore[arg-type]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await process.communicate()
        used = None
        if before is not None:
            used = cpu.spent(before, await cpu.snapshot(self.db, pid))  # type: ignore[arg-type]
        marker = next(
            (line for line in out.decode().splitlines() if line.startswith("BENCH_JSON ")), None
        )
        if marker is None:
            raise RuntimeError(f"wrk failed: {out.decode()} {err.decode()}")
        data = json.loads(marker.removeprefix("BENCH_JSON "))
        seconds_run = data["duration_us"] / 1e6
        requests = max(data["requests"], 1)
        return Run(
            rps=data["requests"] / seconds_run,
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            statuses={int(k): v for k, v in data["statuses"].items()},
            wraps=data["wraps"],
            socket_errors=data["socket_errors"],
            cpu_server_ms=used and used.server * 1000 / requests,
            cpu_db_ms=(
                used.database * 1000 / requests if used and used.database is not None else None
            ),
        )


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _admin(server: str, sql: str) -> None:
    dsn = make_url(server).set(drivername="postgresql").render_as_string(False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _sessions(db: asyncpg.Connection) -> int:
    return int(
        await db.fetchval(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        )
    )


def _server_url() -> str:
    configured = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if configured:
        return async_url(configured)
    return async_url(embedded_server_url(ROOT / ".data", "postgres"))


async def run(options: argparse.Namespace) -> None:
    server = _server_url()
    name = f"clinic_bench_{secrets.token_hex(3)}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as tmp:
        bench = Bench(options, url, Path(tmp))
        try:
            await asyncio.to_thread(upgrade_head, url)
            await measure(bench)
        finally:
            await bench.stop()
            await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def measure(bench: Bench) -> None:
    options = bench.options
    writes = options.only == "all"  # else the minimal app and the slot searches only
    settings = get_settings()
    tz = settings.tz
    # Lines for every run: the bookings and the reschedule targets of each round, plus warm-up.
    per_run = MAX_RPS * options.seconds
    needed = 2 * per_run * options.rounds + 2 * MAX_RPS * WARM_UP_SECONDS + 4 * PROBE_REQUESTS
    today = utcnow().astimezone(tz).date()
    first, last = (
        today + timedelta(days=1),
        today + timedelta(days=settings.booking_horizon_days - 2),
    )
    per_doctor = (last - first).days * 12 * 60 // SLOT_MINUTES
    groups = -(-needed // (per_doctor * GROUP)) + 1

    db = await asyncpg.connect(bench.dsn)
    bench.db = db
    await db.execute(TABLE_DDL)
    await db.execute(SETUP_SQL.replace("$1::int", str(groups)))
    bench_doctors = [
        r["id"]
        for r in await db.fetch(
            "SELECT d.id FROM doctor d JOIN specialty s ON s.id = d.specialty_id "
            "WHERE s.code LIKE 'bench%' ORDER BY d.id"
        )
    ]
    slot_doctor = await db.fetchval(
        "SELECT d.id FROM doctor d JOIN specialty s ON s.id = d.specialty_id "
        "WHERE s.code = 'slots' ORDER BY d.id LIMIT 1"
    )
    await db.execute(FUTURE_SQL, settings.clinic_timezone)
    per_slot_doctor = options.small_rows // 3
    await db.execute(HISTORY_SQL, 1, per_slot_doctor)
    await db.execute("ANALYZE")
    pool = SlotPool(bench_doctors, tz, first, last)

    api = bench.start_api(bench.url, "api")
    minimal = bench.start_minimal()
    stack = _server_stack()
    pool_size = int(os.environ.get("DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE))
    print(
        f"make bench: {os.cpu_count()} cores; {stack}; one process each, pools of {pool_size} "
        f"(API) and {options.minimal_pool} (minimal); wrk -t{options.threads} "
        f"-c{options.connections}, {options.seconds} s runs, {options.rounds} interleaved "
        f"rounds, medians; {len(bench_doctors)} bench doctors; load average {_load()}",
        flush=True,
    )

    async def load(base: str, lines: Sequence[str], seconds: float, clients: int = 0) -> Run:
        path = bench.write_lines(lines)
        if clients == 1:
            return await bench.wrk(base, path, seconds, connections=1, threads=1)
        return await bench.wrk(
            base, path, seconds, connections=options.connections, threads=options.threads
        )

    def bookings(count: int, tag: str) -> list[str]:
        return [
            _booking_line(doctor, start, f"{tag}-{i}")
            for i, (doctor, start) in enumerate(pool.take(count))
        ]

    async def booked_since(last_id: int) -> list[asyncpg.Record]:
        return await db.fetch(
            "SELECT id, doctor_id, start_time FROM appointment "
            "WHERE id > $1 AND doctor_id = ANY($2::int[]) AND status = 'scheduled' ORDER BY id",
            last_id,
            bench_doctors,
        )

    def conflicts(rows: Sequence[asyncpg.Record], tag: str) -> list[str]:
        return [
            _booking_line(r["doctor_id"], r["start_time"].astimezone(tz), f"{tag}-{i}")
            for i, r in enumerate(rows)
        ]

    def moves(rows: Sequence[asyncpg.Record], count: int) -> list[str]:
        # Round robin over the doctors, not the rows: wrk's threads take alternate lines, so
        # a faster thread books more of some doctors. A doctor with no free slot left is
        # skipped; with none left anywhere the run gets fewer lines (and wraps, reported).
        by_doctor: dict[int, list[asyncpg.Record]] = {}
        for row in rows:
            by_doctor.setdefault(row["doctor_id"], []).append(row)
        groups = [by_doctor[d] for d in sorted(by_doctor)]
        lines: list[str] = []
        turn = skipped = 0
        while len(lines) < count and skipped < len(groups):
            group = groups[turn % len(groups)]
            row = group[(turn // len(groups)) % len(group)]
            turn += 1
            if not pool.free[row["doctor_id"]]:
                skipped += 1
                continue
            skipped = 0
            start = pool.take_for(row["doctor_id"]).isoformat()
            body = json.dumps({"start_time": start})
            lines.append(f"PATCH\t/appointments/{row['id']}\t-\t{body}")
        return lines

    def slots_line(query: str) -> list[str]:
        return [f"GET\t/slots?{query}&limit={SLOT_LIMIT}\t-\t"]

    doctor_query = slots_line(f"doctor_id={slot_doctor}")
    specialty_query = slots_line("specialty=slots")

    # Warm-up: every path once at full concurrency, so pools and caches are filled.
    warm = MAX_RPS * WARM_UP_SECONDS
    max_id = int(await db.fetchval("SELECT coalesce(max(id), 0) FROM appointment"))
    await load(minimal, bookings(warm, "warm-minimal"), WARM_UP_SECONDS)
    if writes:
        await load(api, bookings(warm, "warm-book"), WARM_UP_SECONDS)
        warm_rows = await booked_since(max_id)
        await load(api, conflicts(warm_rows, "warm-conflict"), WARM_UP_SECONDS)
        await load(api, moves(warm_rows, warm), WARM_UP_SECONDS)
    await load(api, doctor_query, WARM_UP_SECONDS)
    await load(api, specialty_query, WARM_UP_SECONDS)
    # Statistics of a clinic in use, as autovacuum's ANALYZE keeps them. Without this, the
    # plans cached during the warm-up keep the setup's statistics of empty tables: the booking's
    # key lookup then stays a sequential scan of idempotency_key, growing with every booking.
    await db.execute("ANALYZE")
    sessions_after_warm_up = await _sessions(db)
    pool_opened_after_warm_up = _pool_connections(api)

    small = {
        "minimal": Scenario("minimal app: POST, one INSERT", 201),
        **(
            {
                "book": Scenario("POST /appointments 201", 201, "minimal"),
                "conflict": Scenario("POST /appointments 409 + alternatives", 409, "book"),
                "move": Scenario("PATCH /appointments/{id} reschedule", 200, "minimal"),
            }
            if writes
            else {}
        ),
        "slots_doctor": Scenario("GET /slots?doctor_id (32 conn)", 200, "minimal"),
        "slots_specialty": Scenario("GET /slots?specialty (32 conn)", 200, "minimal"),
        "slots_doctor_1": Scenario("GET /slots?doctor_id (1 client)", 200),
        "slots_specialty_1": Scenario("GET /slots?specialty (1 client)", 200),
    }
    seconds = options.seconds
    for round_ in range(options.rounds):
        lines = bookings(per_run, f"r{round_}-book")
        small["minimal"].runs.append(await load(minimal, lines, seconds))
        if writes:
            max_id = int(await db.fetchval("SELECT coalesce(max(id), 0) FROM appointment"))
            small["book"].runs.append(await load(api, lines, seconds))
            booked = await booked_since(max_id)
            small["conflict"].runs.append(
                await load(api, conflicts(booked, f"r{round_}-c"), seconds)
            )
            small["move"].runs.append(await load(api, moves(booked, per_run), seconds))
        small["slots_doctor"].runs.append(await load(api, doctor_query, seconds))
        small["slots_specialty"].runs.append(await load(api, specialty_query, seconds))
        small["slots_doctor_1"].runs.append(await load(api, doctor_query, seconds, clients=1))
        small["slots_specialty_1"].runs.append(await load(api, specialty_query, seconds, clients=1))
        print(f"  10k rows: round {round_ + 1} done", flush=True)

    started = time.perf_counter()
    await db.execute(HISTORY_SQL, per_slot_doctor + 1, options.rows // 3)
    await db.execute("ANALYZE appointment")
    total = int(await db.fetchval("SELECT count(*) FROM appointment"))
    print(f"  loaded {total:,} appointments in {time.perf_counter() - started:.0f} s", flush=True)
    large = {
        "minimal": Scenario("minimal app: POST, one INSERT", 201),
        "slots_doctor": Scenario("GET /slots?doctor_id (32 conn)", 200, "minimal"),
        "slots_specialty": Scenario("GET /slots?specialty (32 conn)", 200, "minimal"),
        "slots_doctor_1": Scenario("GET /slots?doctor_id (1 client)", 200),
        "slots_specialty_1": Scenario("GET /slots?specialty (1 client)", 200),
    }
    for round_ in range(options.rounds):
        # The minimal app's table has no constraints: the last round's lines serve again.
        large["minimal"].runs.append(await load(minimal, lines, seconds))
        large["slots_doctor"].runs.append(await load(api, doctor_query, seconds))
        large["slots_specialty"].runs.append(await load(api, specialty_query, seconds))
        large["slots_doctor_1"].runs.append(await load(api, doctor_query, seconds, clients=1))
        large["slots_specialty_1"].runs.append(await load(api, specialty_query, seconds, clients=1))
        print(f"  1M rows: round {round_ + 1} done", flush=True)

    opened = await _sessions(db) - sessions_after_warm_up
    pool_opened = _pool_connections(api)
    await bench.stop()

    print(f"\nload average at the end: {_load()}")
    report(small, f"{options.small_rows:,} past appointments")
    report(large, f"{total:,} appointments")
    pool_note = (
        f"; the API's pool opened {pool_opened - pool_opened_after_warm_up}"
        if pool_opened is not None and pool_opened_after_warm_up is not None
        else ""
    )
    print(f"\ndatabase connections opened after warm-up: {opened} (pg_stat_database){pool_note}")

    if not writes:  # a partial run: its numbers, no round trips and no targets
        await db.close()
        return
    trips = await round_trips(bench, pool, tz, slot_doctor, booked_since, db)
    print("\nround trips per request (counted on the wire, after warm-up):")
    for label, value in trips.items():
        print(f"  {label:<44}{value:>6.2f}")
    await db.close()
    targets(small, large, opened, trips)


def _pool_connections(base: str) -> int | None:
    """Connections the API's pool has opened, from its metrics (None if it does not say)."""
    for line in httpx.get(base + "/metrics", timeout=5).text.splitlines():
        if line.startswith("clinic_db_connections_opened_total "):
            return int(float(line.split()[1]))
    return None


def _server_stack() -> str:
    import importlib.util

    import uvicorn

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"uvicorn {uvicorn.__version__} ({loop} + {http}) for both apps"


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_ratio(scenarios: dict[str, Scenario], key: str) -> float | None:
    """The median over rounds of the reference's CPU per request over this scenario's: the
    throughput ratio a quiet, CPU-bound machine would show."""
    scenario = scenarios[key]
    reference = scenarios[scenario.reference or key]
    pairs = [
        (ref.cpu_ms, run.cpu_ms) for run, ref in zip(scenario.runs, reference.runs, strict=True)
    ]
    if any(mine is None or theirs is None or not mine for theirs, mine in pairs):
        return None
    return statistics.median(theirs / mine for theirs, mine in pairs)  # type: ignore[operator]


def ratio(scenarios: dict[str, Scenario], key: str) -> float:
    """The median over rounds of this scenario's rate over its reference's in the same round."""
    scenario = scenarios[key]
    reference = scenarios[scenario.reference or key]
    return statistics.median(
        run.rps / ref.rps for run, ref in zip(scenario.runs, reference.runs, strict=True)
    )


def report(scenarios: dict[str, Scenario], title: str) -> None:
    print(f"\n{title}")
    print(
        f"  {'':<40}{'rps':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'cpu ms/req: app':>17}{'+ db':>7}{'= all':>7}  ratio (rps; cpu)"
    )
    for key, scenario in scenarios.items():
        versus = ""
        if scenario.reference:
            reference = scenarios[scenario.reference].label.split(":")[0]
            by_cpu = cpu_ratio(scenarios, key)
            cpu_text = "-" if by_cpu is None else f"{by_cpu:.2f}x"
            versus = f"{ratio(scenarios, key):.2f}x; {cpu_text} {reference}"
        cpu_columns = "".join(
            f"{'-' if value is None else f'{value:.3f}':>{width}}"
            for value, width in (
                (scenario.cpu_median("cpu_server_ms"), 17),
                (scenario.cpu_median("cpu_db_ms"), 7),
                (scenario.cpu_median("cpu_ms"), 7),
            )
        )
        print(
            f"  {scenario.label:<40}{scenario.median('rps'):>8.0f}"
            f"{scenario.median('p50_ms'):>9.1f}{scenario.median('p99_ms'):>9.1f}"
            f"{cpu_columns}  {versus}"
        )
        unexpected = {
            status: count
            for run in scenario.runs
            for status, count in run.statuses.items()
            if status != scenario.expected
        }
        wraps = sum(run.wraps for run in scenario.runs)
        errors = sum(run.socket_errors for run in scenario.runs)
        if unexpected or errors or (wraps and scenario.expected == 201):
            print(f"    ! unexpected statuses {unexpected}, socket errors {errors}, wraps {wraps}")


def targets(
    small: dict[str, Scenario], large: dict[str, Scenario], opened: int, trips: dict[str, float]
) -> None:
    checks = [
        ("booking 201 >= 0.5x the minimal app", ratio(small, "book") >= 0.5),
        ("booking 201 >= 0.45x the minimal app (2x the best peer)", ratio(small, "book") >= 0.45),
        ("booking 409 >= 0.5x booking 201", ratio(small, "conflict") >= 0.5),
        (
            "GET /slots single client p99 <= 10 ms at 1M rows",
            max(
                large["slots_doctor_1"].median("p99_ms"),
                large["slots_specialty_1"].median("p99_ms"),
            )
            <= 10,
        ),
        (
            "GET /slots at 32 connections >= 0.5x the minimal app at 1M rows",
            min(ratio(large, "slots_doctor"), ratio(large, "slots_specialty")) >= 0.5,
        ),
        ("no database connection opened after warm-up", opened == 0),
        ("<= 4 round trips per booking", trips["POST /appointments 201 (Idempotency-Key)"] <= 4),
    ]
    print("\ntargets (issue 16):")
    for label, passed in checks:
        print(f"  [{'x' if passed else ' '}] {label}")


async def round_trips(
    bench: Bench,
    pool: SlotPool,
    tz: Any,
    slot_doctor: int,
    booked_since: Any,
    db: asyncpg.Connection,
) -> dict[str, float]:
    """Serve the API through the counting proxy and send each kind of request in turn."""
    target = make_url(bench.url)
    # The embedded PostgreSQL listens on a Unix socket, named in the URL's query.
    socket_dir = target.query.get("host")
    host = socket_dir if isinstance(socket_dir, str) else target.host or "127.0.0.1"
    proxy = RoundTripProxy(host, target.port or 5432)
    await proxy.start()
    through_proxy = target.difference_update_query(["host"]).set(host="127.0.0.1", port=proxy.port)
    api = bench.start_api(through_proxy.render_as_string(False), "probe")
    headers = {"Authorization": f"Bearer {TOKEN}"}
    counts: dict[str, float] = {}
    try:
        async with httpx.AsyncClient(base_url=api, headers=headers, timeout=30) as http:

            async def book(keyed: bool, tag: str) -> dict[str, Any]:
                doctor, start = pool.take(1)[0]
                body = {
                    "patient_name": "Probe",
                    "doctor_id": doctor,
                    "start_time": start.isoformat(),
                }
                extra = {"Idempotency-Key": tag} if keyed else {}
                response = await http.post("/appointments", json=body, headers=extra)
                assert response.status_code == 201, response.text
                return dict(response.json())

            made: list[dict[str, Any]] = []
            # Warm-up: statement caches, and both pools (the lane's, and the session's that
            # a reschedule takes), so no count below includes a connection's start-up.
            for i in range(PROBE_REQUESTS):
                made.append(await book(True, f"probe-warm-{i}"))
                await http.get("/slots", params={"doctor_id": slot_doctor, "limit": SLOT_LIMIT})
                await http.get("/slots", params={"specialty": "slots", "limit": SLOT_LIMIT})
            for i in range(3):
                row = await book(True, f"probe-warm-move-{i}")
                start = pool.take_for(row["doctor_id"]).isoformat()
                moved = await http.patch(f"/appointments/{row['id']}", json={"start_time": start})
                assert moved.status_code == 200, moved.text

            async def count(label: str, send: Any, expected: int) -> None:
                before_trips, before_connections = (
                    proxy.counts.round_trips,
                    proxy.counts.connections,
                )
                for i in range(PROBE_REQUESTS):
                    response = await send(i)
                    assert response.status_code == expected, response.text
                counts[label] = (proxy.counts.round_trips - before_trips) / PROBE_REQUESTS
                opened = proxy.counts.connections - before_connections
                if opened:
                    counts[f"  connections opened during {label}"] = opened

            async def keyed(i: int) -> httpx.Response:
                doctor, start = pool.take(1)[0]
                body = {
                    "patient_name": "Probe",
                    "doctor_id": doctor,
                    "start_time": start.isoformat(),
                }
                return await http.post(
                    "/appointments", json=body, headers={"Idempotency-Key": f"pk{i}"}
                )

            async def unkeyed(i: int) -> httpx.Response:
                doctor, start = pool.take(1)[0]
                body = {
                    "patient_name": "Probe",
                    "doctor_id": doctor,
                    "start_time": start.isoformat(),
                }
                return await http.post("/appointments", json=body)

            async def replay(i: int) -> httpx.Response:
                doctor, start = made[0]["doctor_id"], made[0]["start_time"]
                body = {"patient_name": "Probe", "doctor_id": doctor, "start_time": start}
                return await http.post(
                    "/appointments", json=body, headers={"Idempotency-Key": "probe-warm-0"}
                )

            async def taken(i: int) -> httpx.Response:
                row = made[i % len(made)]
                body = {
                    "patient_name": "Probe",
                    "doctor_id": row["doctor_id"],
                    "start_time": row["start_time"],
                }
                return await http.post(
                    "/appointments", json=body, headers={"Idempotency-Key": f"pt{i}"}
                )

            async def move(i: int) -> httpx.Response:
                row = made[i % len(made)]
                start = pool.take_for(row["doctor_id"]).isoformat()
                return await http.patch(f"/appointments/{row['id']}", json={"start_time": start})

            async def slots_doctor(i: int) -> httpx.Response:
                return await http.get(
                    "/slots", params={"doctor_id": slot_doctor, "limit": SLOT_LIMIT}
                )

            async def slots_specialty(i: int) -> httpx.Response:
                return await http.get("/slots", params={"specialty": "slots", "limit": SLOT_LIMIT})

            await count("POST /appointments 201 (Idempotency-Key)", keyed, 201)
            await count("POST /appointments 201 (no key)", unkeyed, 201)
            await count("POST /appointments replayed key", replay, 201)
            await count("POST /appointments 409 (Idempotency-Key)", taken, 409)
            await count("PATCH /appointments/{id} reschedule", move, 200)
            await count("GET /slots?doctor_id", slots_doctor, 200)
            await count("GET /slots?specialty", slots_specialty, 200)
    finally:
        await bench.stop()
        await proxy.stop()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rows", type=int, default=1_000_000, help="past appointments, phase 2")
    parser.add_argument("--small-rows", type=int, default=10_000, help="past appointments, phase 1")
    parser.add_argument(
        "--minimal-pool", type=int, default=DEFAULT_POOL_SIZE, help="the minimal app's pool"
    )
    parser.add_argument(
        "--only",
        choices=("all", "slots"),
        default="all",
        help="slots: the minimal app and GET /slots alone (no bookings, round trips or targets)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
