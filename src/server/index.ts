// Public API of the server: the app (REST API, /metrics, dashboard), the socket around it, the schemas.
export * from './api-schemas.js';
export { type AppOptions, createApp, REQUEST_BODY_LIMIT_BYTES } from './app.js';
export { API_TOKEN_ENV } from './auth.js';
export { DEFAULT_HOST, DEFAULT_PORT, type RunningServer, type ServerOptions, startServer } from './serve.js';
export { DEFAULT_STORAGE_URL } from './study-catalog.js';
