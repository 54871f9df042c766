# One image for every duban process: the API (which serves the web app at /), the worker and the
# one-shot migrate/seed CLI.
# Give the migrate step MIGRATION_DATABASE_URL (the schema owner); the API and the worker only
# DATABASE_URL (the runtime role, which owns nothing) with MIGRATIONS_RUN=false.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-save --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY bench ./bench
# The web app (web/ → web/dist, served by the API at /) needs the dev dependencies: build it before pruning.
COPY web ./web
RUN npx nest build && npm run build:web && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/package.json ./
COPY seeds/data ./seeds/data
# Evidence files live here with EVIDENCE_STORAGE=disk; mount a volume on it (docker-compose does).
RUN mkdir -p /app/.data/evidence && chown -R node:node /app/.data
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.api.js"]
