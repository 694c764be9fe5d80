/** Public API of the iod module. */
export {};
