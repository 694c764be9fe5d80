/** Public API of the ilrs module. */
export {};
