/** Version reported by `/health` and the API document. */
export const SERVER_VERSION = '0.1.0';
