/** Public API of the od module. */
export {};
