# syntax=docker/dockerfile:1.7
# Multi-stage: compile TypeScript with the full toolchain, ship only dist/ and production dependencies.

ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts/build.mjs ./scripts/
COPY backend ./backend
COPY chaos ./chaos
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG KUBECTL_VERSION=v1.32.3
ARG TARGETARCH=amd64
ENV NODE_ENV=production
WORKDIR /app
# kubectl: the agent runs it with an argv array (never a shell) against the kubeconfig you mount.
ADD --chmod=755 https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl /usr/local/bin/kubectl
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# bin/oncall-agent.js runs dist/ when the TypeScript sources are absent, as here.
COPY bin ./bin
RUN mkdir -p /app/.oncall-agent && chown node:node /app/.oncall-agent
USER node
VOLUME ["/app/.oncall-agent"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec form: node runs as PID 1 and receives SIGTERM itself, which starts the graceful shutdown.
ENTRYPOINT ["node", "bin/oncall-agent.js"]
CMD ["serve"]
