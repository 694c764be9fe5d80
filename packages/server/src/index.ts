/** @hoshimi/server: the HTTP API over a catalog store. */
export { buildServer, type ServerOptions } from './app.js';
export { ApiError, type ErrorBody, errorBody } from './errors.js';
export { SERVER_VERSION } from './version.js';
