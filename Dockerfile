# The ParkAtlas server with its built map app. docker-compose.yml runs it next to PostGIS.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build --workspace @parkatlas/web
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["npm", "run", "start", "--workspace", "@parkatlas/api"]
