/**
 * LAGEOS-2 orbit determination time (goal ≤ 5 s): waits for the SLR fit in @hoshimi/astro.
 */
export async function benchLageos2(_rounds: number): Promise<void> {
  console.log('  LAGEOS-2 OD: not measured (the SLR fit is not in @hoshimi/astro yet)');
}
