# cascade-monitor: multi-stage build, runs as the unprivileged `node` user.
#   docker build -t cascade-monitor .
#   docker run -p 9464:9464 cascade-monitor                 # embedded devnet
#   docker run -p 9464:9464 -v $PWD/config.yaml:/config.yaml cascade-monitor start --config /config.yaml --host 0.0.0.0

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY abis ./abis
COPY dashboard ./dashboard
RUN npx tsc -p tsconfig.build.json && npx tsx dashboard/build.ts

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY abis ./abis
COPY config ./config
COPY contracts ./contracts
# The devnet compiles Solidity once and caches the artifacts here.
RUN mkdir -p /app/.cache && chown node:node /app/.cache
USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["start", "--host", "0.0.0.0"]
