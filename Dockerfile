# syntax=docker/dockerfile:1
# Two stages: `build` compiles, takes the embedding model (the bundled one, or a download for
# another profile) and builds the index;
# `runtime` holds only production dependencies, compiled code, corpus, index and model.
#   docker build -t dushanbe-quotes-bot .
#   docker build --build-arg EMBEDDING_MODEL=bge-small-en-v1.5 -t dushanbe-quotes-bot .
ARG NODE_IMAGE=node:20-bookworm-slim
ARG EMBEDDING_MODEL=all-MiniLM-L6-v2-dushanbe

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Inference runs on the CPU: onnxruntime-node's install script, which only downloads its CUDA
# binaries, is skipped, by package.json's allowScripts for npm 11 and by this variable for the
# npm 10 of Node 20's images.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
# The bundled models (all-MiniLM-L6-v2 and the default, fine-tuned from it) are used as they
# are; another profile is downloaded once here, into the same folder, which the runtime stage
# loads from offline.
COPY models ./models
ARG EMBEDDING_MODEL
ENV EMBEDDING_MODEL=${EMBEDDING_MODEL} \
    MODEL_CACHE_DIR=/app/models
RUN node dist/src/cli/main.js fetch-model
COPY corpus ./corpus
# Built with the network off, from the fetched folder: the same way the bot will load it.
RUN MODELS_DIR=/app/models INDEX_DIR=/app/index CORPUS_DIR=/app/corpus node dist/src/cli/main.js build-index

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/models ./models
COPY corpus ./corpus
# The bot's own words in each language it speaks.
COPY locales ./locales
# The index stays writable by the bot's user, so it can be rebuilt in place and hot-reloaded.
COPY --from=build --chown=node:node /app/index ./index
ARG EMBEDDING_MODEL
# MODELS_DIR turns remote model loading off: the model comes only from the baked folder.
ENV EMBEDDING_MODEL=${EMBEDDING_MODEL} \
    MODELS_DIR=/app/models \
    INDEX_DIR=/app/index \
    CORPUS_DIR=/app/corpus \
    PORT=8080
USER node
EXPOSE 8080
# Slim images have no curl; node's fetch asks /healthz (ready only once index and model are loaded).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/app/main.js"]
