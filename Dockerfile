# syntax=docker/dockerfile:1
# One image for every service; docker-compose.yml picks the service with `--only`.
# Node 24 is the active LTS. better-sqlite3 (the embedded demo database) compiles in the build
# stage, on the same base image as the runtime, so its binary matches.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib lib
COPY gateway gateway
COPY subgraphs subgraphs
COPY tools tools
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY schema schema
RUN mkdir -p /app/data && chown node:node /app/data
# Never root: the services need nothing but their ports and the data folder.
USER node
EXPOSE 4000 4001 4002 4003 4004
CMD ["node", "dist/tools/start.js", "--only", "gateway"]
