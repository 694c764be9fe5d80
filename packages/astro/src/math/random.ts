/**
 * Seeded pseudo-random numbers, so that simulations, Monte Carlo trials and tests are reproducible
 * without a dependency: mulberry32 for uniforms (Tommy Ettinger's 32-bit generator, public domain)
 * and the Box–Muller transform for standard normals (Box & Muller 1958, both deviates of a pair
 * used, the cosine one first).
 */

/** A seeded source of uniform and standard normal deviates. */
export interface RandomSource {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

/** mulberry32: a 32-bit seeded generator returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A reproducible RandomSource from a 32-bit seed (mulberry32 uniforms, Box–Muller normals). */
export function seededRandomSource(seed: number): RandomSource {
  const uniform = mulberry32(seed);
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}
