"""Import arrows point one way: the client side never reaches into the server, the assistant
never into the dialog, and understanding, tracker and policy never into the actions."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "clinic"
SERVER = ("clinic.api", "clinic.appointments", "clinic.availability", "clinic.doctors",
          "clinic.admin", "clinic.scheduling", "clinic.core.database", "clinic.demo")  # fmt: skip
ACTIONS = ("clinic.dialog.actions", "clinic.dialog.booking", "clinic.dialog.mine",
           "clinic.dialog.asides", "clinic.dialog.engine", "clinic.dialog.turn",
           "clinic.dialog.replies", "clinic.client.ClinicClient")  # fmt: skip


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def files(*parts: str) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        target = SRC / part
        found += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return found


CLIENT_SIDE = files("dialog", "bot", "console.py", "client.py")


@pytest.mark.parametrize(
    "path", CLIENT_SIDE, ids=lambda p: str(p.relative_to(SRC))
)  # fmt: skip
def test_the_client_side_never_imports_server_code(path: Path) -> None:
    assert not {i for i in imports(path) if i.startswith(SERVER)}


def test_the_whole_bot_package_is_on_the_client_side() -> None:
    # The webhook app included: what it shares with the API lives in `core`.
    assert SRC / "bot" / "webhook.py" in CLIENT_SIDE
    assert SRC / "bot" / "app.py" in CLIENT_SIDE


@pytest.mark.parametrize("path", files("assistant"), ids=lambda p: p.name)
def test_the_assistant_never_imports_the_dialog(path: Path) -> None:
    assert not {i for i in imports(path) if i.startswith("clinic.dialog")}


@pytest.mark.parametrize(
    "name",
    ["acts", "state", "policy", "understanding", "offline", "reading", "refusals", "phrases",
     "vocabulary", "contacts", "doctors", "safety"],
)  # fmt: skip
def test_understanding_tracker_and_policy_never_import_the_actions(name: str) -> None:
    assert not {i for i in imports(SRC / "dialog" / f"{name}.py") if i.startswith(ACTIONS)}
