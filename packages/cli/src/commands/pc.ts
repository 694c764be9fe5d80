/**
 * `hoshimi pc --cdm FILE`: probability of collision of the conjunction in a CDM, by Foster's 2-D
 * integral (CARA's Pc2D: states first moved to the linear-motion TCA, because a CDM's TCA is rounded
 * to the millisecond), Chan's series, or the Alfano 2005 maximum Pc.
 */
import {
  adjustToLinearTca,
  cdmToConjunctionInput,
  formatIssue,
  type Mat3,
  type PcConjunction,
  type PcResultBase,
  parseCdm,
  pcChan,
  pcConjunctionFromRtn,
  pcFoster,
  pcMaxAlfano,
  type Vec3,
} from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { readTextInput } from '../io.js';

/** Combined hard-body radius when neither --hbr-m nor the CDM gives one, m (CARA's common default). */
export const DEFAULT_HBR_M = 20;

const METHODS = ['foster', 'chan', 'alfano-max', 'all'] as const;
type Method = (typeof METHODS)[number];

export const PC_USAGE = `Usage: hoshimi pc --cdm FILE [--hbr-m M] [--method foster|chan|alfano-max|all] [--json]

Probability of collision of a CDM's conjunction (KVN or XML). The hard-body radius is --hbr-m, else
the CDM's (CARA's "HBR" comment or the objects' HBR keywords), else ${DEFAULT_HBR_M} m.
  foster      Foster's 2-D integral over the hard-body circle, after moving both states to the
              linear-motion TCA (CARA Pc2D); the default
  chan        Chan's series (equivalent-area), same encounter plane
  alfano-max  Alfano 2005 maximum Pc over the covariance's scale (its shape from the CDM)
  all         every method
`;

const M_PER_KM = 1000;

function mat3(rows: readonly (readonly number[])[]): Mat3 {
  const m: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m.push(rows[i]![j]!);
  return m as Mat3;
}

export async function pcCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi pc', PC_USAGE, {
    args: [...argv],
    options: {
      cdm: { type: 'string' },
      'hbr-m': { type: 'string' },
      method: { type: 'string', default: 'foster' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(PC_USAGE);
    return 0;
  }
  const usage = (m: string) => new CliError('USAGE', `${m}\n\n${PC_USAGE}`);
  if (values.cdm === undefined) throw usage('--cdm FILE is required');
  const method = values.method as Method;
  if (!METHODS.includes(method))
    throw usage(`--method: expected one of ${METHODS.join(', ')}, got ${values.method}`);
  let hbrFlagM: number | undefined;
  if (values['hbr-m'] !== undefined) {
    hbrFlagM = Number(values['hbr-m']);
    if (!(hbrFlagM > 0) || !Number.isFinite(hbrFlagM))
      throw usage(`--hbr-m: expected a positive number, got ${values['hbr-m']}`);
  }

  const file = values.cdm;
  const parsed = parseCdm(readTextInput(file), { file });
  if (!parsed.ok) throw new CliError('CDM_INVALID', parsed.issues.map(formatIssue).join('\n'));
  for (const w of parsed.warnings) process.stderr.write(`warning: ${formatIssue(w)}\n`);
  const input = cdmToConjunctionInput(parsed.value);
  const [o1, o2] = input.objects;
  if (o1.refFrame !== o2.refFrame) {
    throw new CliError(
      'CDM_FRAMES_DIFFER',
      `${file}: objects are in ${o1.refFrame} and ${o2.refFrame}; Pc needs one frame`,
    );
  }
  const conj: PcConjunction = pcConjunctionFromRtn(
    [...o1.positionKm] as Vec3,
    [...o1.velocityKmPerS] as Vec3,
    mat3(o1.covarianceRtn),
    [...o2.positionKm] as Vec3,
    [...o2.velocityKmPerS] as Vec3,
    mat3(o2.covarianceRtn),
  );
  const hbrSource = hbrFlagM !== undefined ? 'flag' : input.hbrKm !== undefined ? 'cdm' : 'default';
  const hbrKm = hbrFlagM !== undefined ? hbrFlagM / M_PER_KM : (input.hbrKm ?? DEFAULT_HBR_M / M_PER_KM);
  // CDM TCAs are rounded to the millisecond: every method works at the linear-motion TCA.
  const adj = adjustToLinearTca(conj);
  const atTca = adj.conjunction;
  const missKm = Math.hypot(...[0, 1, 2].map((k) => atTca.r2Km[k]! - atTca.r1Km[k]!));

  const results: PcResultBase[] = [];
  const want = (m: Method) => method === m || method === 'all';
  if (want('foster')) results.push(pcFoster(conj, hbrKm, { covarianceSource: 'cdm', adjustToTca: true }));
  if (want('chan')) results.push(pcChan(atTca, hbrKm, { covarianceSource: 'cdm' }));
  if (want('alfano-max')) results.push(pcMaxAlfano(atTca, hbrKm, { covarianceSource: 'cdm' }));

  const rows = results.map((r) => ({
    method: r.method,
    pc: r.pc,
    hbr_m: r.hbrKm * M_PER_KM,
    hbr_source: hbrSource,
    tca_utc: input.tca.text,
    tca_shift_s: adj.dtS,
    miss_m: missKm * M_PER_KM,
    covariance_source: r.covarianceSource,
    confidence: r.confidence,
    is_maximum: r.isMaximum,
    cdm_pc: input.collisionProbability ?? null,
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(method === 'all' ? rows : rows[0], null, 2)}\n`);
  } else {
    for (const r of rows) {
      process.stdout.write(
        `${r.method.padEnd(18)} Pc ${r.pc.toExponential(6)}  HBR ${r.hbr_m} m (${r.hbr_source})  miss ${r.miss_m.toFixed(1)} m  TCA ${r.tca_utc}${r.is_maximum ? '  (maximum, low confidence)' : ''}\n`,
      );
    }
  }
  return 0;
}
