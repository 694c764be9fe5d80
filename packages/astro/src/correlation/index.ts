/** Public API of the correlation module. */
export {};
