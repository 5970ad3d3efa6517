# Paizhu: one image for every process of the distributed mode (see deploy/README.md).
#   docker build -t paizhu .
#   docker run --rm paizhu --help
# The entrypoint is the `paizhu` command line; the command picks the process:
#   service NAME | relay NAME | project NAME | gateway | rebuild NAME | verify | checkpoint

# Every image is pinned to an exact version (tests/unit/test_deploy_files.py checks it); dependencies come from
# the lock file requirements/run.txt, every package pinned with its hashes.

# --- assets: the portals' browser files from the npm lock, only those the gateway serves (gateway/web/assets.py)
FROM node:20.18.1-bookworm-slim AS assets
WORKDIR /web
COPY gateway/web/package.json gateway/web/package-lock.json ./
RUN npm ci --ignore-scripts --omit=dev --no-audit --no-fund \
 && mkdir -p /out && cd node_modules \
 && cp --parents htmx.org/dist/htmx.min.js echarts/dist/echarts.common.min.js \
      swagger-ui-dist/swagger-ui-bundle.js swagger-ui-dist/swagger-ui.css /out/

# --- build: a wheel of the project (and of nothing else)
FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml ./
COPY events ./events
COPY authz ./authz
COPY runtime ./runtime
COPY services ./services
COPY projections ./projections
COPY gateway ./gateway
COPY paizhu ./paizhu
COPY --from=assets /out ./gateway/web/node_modules
RUN pip wheel --no-deps --wheel-dir /wheels .

# --- runtime
FROM python:3.11.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PAIZHU_MODE=distributed \
    PAIZHU_DATA_DIR=/var/lib/paizhu

RUN groupadd --system --gid 10001 paizhu \
 && useradd --system --uid 10001 --gid paizhu --home-dir /var/lib/paizhu --shell /usr/sbin/nologin paizhu \
 && mkdir -p /var/lib/paizhu/blobs \
 && chown -R paizhu:paizhu /var/lib/paizhu \
 && chmod 0750 /var/lib/paizhu

COPY requirements/run.txt /tmp/run.txt
RUN pip install --require-hashes -r /tmp/run.txt && rm /tmp/run.txt
COPY --from=build /wheels /wheels
RUN pip install --no-deps /wheels/*.whl && rm -rf /wheels

USER paizhu:paizhu
WORKDIR /var/lib/paizhu
EXPOSE 8000 8101 8102 8103 8104

ENTRYPOINT ["paizhu"]
CMD ["--help"]
