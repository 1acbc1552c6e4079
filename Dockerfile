# syntax=docker/dockerfile:1
# Penguin's server image: `penguin serve` (REST + SSE + WebSocket API and the web UI) on port 8787.
#
#   docker build -t penguin .
#   docker run -d -p 127.0.0.1:8787:8787 -v penguin-data:/data -v "$PWD:/workspace" \
#     -e PENGUIN_SERVE_TOKEN="$(openssl rand -hex 24)" -e OPENAI_API_KEY penguin
#
# The image installs penguin-ai exactly as users get it from npm: the build stage packs the
# package from this checkout, the install stage runs `npm i -g` on that tarball. See docs/deploy.md.

ARG NODE_IMAGE=node:20-slim

# ---- build: the monorepo, and the penguin-ai tarball `npm publish` would upload
FROM ${NODE_IMAGE} AS build
RUN npm i -g pnpm@10
WORKDIR /src
COPY . .
# Only what penguin-ai is built from; better-sqlite3's native build is not needed to bundle.
RUN pnpm install --frozen-lockfile --ignore-scripts --filter "penguin-ai..." \
 && pnpm exec turbo run build --filter "penguin-ai..." \
 && mkdir /pkg && cd apps/cli && pnpm pack --pack-destination /pkg \
 && mv /pkg/penguin-ai-*.tgz /pkg/penguin-ai.tgz

# ---- install: npm i -g, compiling the SQLite driver if no prebuilt binary can be downloaded
FROM ${NODE_IMAGE} AS install
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /pkg/penguin-ai.tgz /tmp/penguin-ai.tgz
RUN npm i -g --prefix /opt/penguin --omit=dev --no-audit --no-fund /tmp/penguin-ai.tgz \
 && /opt/penguin/bin/penguin --version

# ---- runtime: Node, the installed package, and what the agent's tools use
FROM ${NODE_IMAGE} AS runtime
# git: workspace checkpoints; bubblewrap: the sandbox for commands the agent runs; tini: PID 1
# that forwards signals (graceful shutdown on SIGTERM) and reaps the commands' orphans.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 penguin \
 && useradd --system --uid 10001 --gid penguin --home-dir /home/penguin --create-home --shell /usr/sbin/nologin penguin \
 && mkdir -p /data /workspace \
 && chown penguin:penguin /data /workspace
COPY --from=install /opt/penguin /opt/penguin
ENV PATH=/opt/penguin/bin:$PATH \
    NODE_ENV=production \
    PENGUIN_HOME=/data \
    PENGUIN_LOG_LEVEL=info
# The database (penguin.db) and workspace checkpoints live in /data; repositories the agent works on
# go under /workspace (the server's --root).
VOLUME ["/data"]
WORKDIR /workspace
USER penguin:penguin
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8787/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["tini", "--", "penguin"]
# Listening on every interface requires auth (the server refuses --no-auth off loopback): give it a
# token with PENGUIN_SERVE_TOKEN (16+ characters) or create one with `penguin token create`. Clients
# reaching it by a name other than localhost (a proxy's, another container's) need that name in
# PENGUIN_PUBLIC_HOST (comma-separated): other Host headers are refused; /healthz answers any.
CMD ["serve", "--host", "0.0.0.0", "--port", "8787", "--root", "/workspace"]
