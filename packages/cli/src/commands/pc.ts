/**
 * `hoshimi pc --cdm FILE`: probability of collision of the conjunction in a CDM, by Foster's 2-D
 * integral (CARA's Pc2D: states first moved to the linear-motion TCA, because a CDM's TCA is rounded
 * to the millisecond), Chan's series, or the Alfano 2005 maximum Pc. The reader refuses CDMs whose
 * values cannot be read correctly (units); the miss recomputed from the states is compared with
 * the CDM's MISS_DISTANCE and a disagreement is flagged. A CDM without a covariance (all-zero
 * RTN block) gets no covariance-based Pc, only the maximum Pc over an unknown covariance.
 */
import {
  adjustToLinearTca,
  CDM_PC_TOLERANCE_FACTOR,
  cdmToConjunctionInput,
  checkCdmMissDistance,
  checkCdmPc,
  formatIssue,
  type Mat3,
  type PcConjunction,
  type PcResultBase,
  parseCdm,
  pcChan,
  pcConjunctionFromRtn,
  pcFoster,
  pcMaxAlfano,
  pcMaxNoCovariance,
  pcMethodCcsdsName,
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
A CDM whose covariance is all zero (no covariance known) gets only alfano-max, over an isotropic
covariance of unknown size. A recomputed miss that disagrees with MISS_DISTANCE is flagged.
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
  const noCovariance = [o1, o2].filter((o) => o.covarianceRtn.every((row) => row.every((x) => x === 0)));
  const hbrSource = hbrFlagM !== undefined ? 'flag' : input.hbrKm !== undefined ? 'cdm' : 'default';
  const hbrKm = hbrFlagM !== undefined ? hbrFlagM / M_PER_KM : (input.hbrKm ?? DEFAULT_HBR_M / M_PER_KM);
  // CDM TCAs are rounded to the millisecond: every method works at the linear-motion TCA.
  const adj = adjustToLinearTca(conj);
  const atTca = adj.conjunction;
  const missKm = Math.hypot(...[0, 1, 2].map((k) => atTca.r2Km[k]! - atTca.r1Km[k]!));
  const missCheck = checkCdmMissDistance(input.missDistanceKm, missKm);
  if (!missCheck.agrees) {
    process.stderr.write(
      `warning: ${file}: miss distance from the states ${(missKm * M_PER_KM).toFixed(3)} m disagrees with MISS_DISTANCE ${(input.missDistanceKm * M_PER_KM).toFixed(3)} m by ${(missCheck.differenceKm * M_PER_KM).toFixed(3)} m (tolerance ${(missCheck.toleranceKm * M_PER_KM).toFixed(3)} m): the CDM's values are not in the units it declares, or its states are not at its TCA\n`,
    );
  }

  const results: PcResultBase[] = [];
  const want = (m: Method) => method === m || method === 'all';
  if (noCovariance.length > 0) {
    const which = noCovariance.map((o) => o.objectDesignator).join(' and ');
    if (method === 'foster' || method === 'chan') {
      throw new CliError(
        'CDM_NO_COVARIANCE',
        `${file}: the covariance of ${which} is all zero (no covariance known): no ${method} Pc; --method alfano-max gives the maximum Pc over an unknown covariance`,
      );
    }
    process.stderr.write(
      `warning: ${file}: the covariance of ${which} is all zero (no covariance known): only the maximum Pc over an isotropic covariance of unknown size\n`,
    );
    results.push(pcMaxNoCovariance(missKm, hbrKm));
  } else {
    if (want('foster')) results.push(pcFoster(conj, hbrKm, { covarianceSource: 'cdm', adjustToTca: true }));
    if (want('chan')) results.push(pcChan(atTca, hbrKm, { covarianceSource: 'cdm' }));
    if (want('alfano-max')) results.push(pcMaxAlfano(atTca, hbrKm, { covarianceSource: 'cdm' }));
  }

  // The CDM's own Pc against Foster's from its states and covariances, with the CDM's HBR.
  let pcCheck: ReturnType<typeof checkCdmPc>;
  if (
    noCovariance.length === 0 &&
    hbrSource === 'cdm' &&
    input.collisionProbability !== undefined &&
    input.collisionProbabilityMethod !== undefined
  ) {
    const foster =
      results.find((r) => r.method === 'FOSTER-1992') ??
      pcFoster(conj, hbrKm, { covarianceSource: 'cdm', adjustToTca: true });
    pcCheck = checkCdmPc(input.collisionProbability, input.collisionProbabilityMethod, foster.pc);
    if (pcCheck !== undefined && !pcCheck.agrees) {
      process.stderr.write(
        `warning: ${file}: Foster Pc from the CDM's states and covariances ${foster.pc.toExponential(3)} disagrees with its COLLISION_PROBABILITY ${input.collisionProbability.toExponential(3)} (${input.collisionProbabilityMethod}) by more than a factor ${CDM_PC_TOLERANCE_FACTOR}: its covariance is likely in other units than it declares\n`,
      );
    }
  }

  const rows = results.map((r) => ({
    method: r.method,
    ccsds_method: pcMethodCcsdsName(r.method) ?? null,
    pc: r.pc,
    hbr_m: r.hbrKm * M_PER_KM,
    hbr_source: hbrSource,
    tca_utc: input.tca.text,
    tca_shift_s: adj.dtS,
    miss_m: missKm * M_PER_KM,
    cdm_miss_m: input.missDistanceKm * M_PER_KM,
    miss_disagrees: !missCheck.agrees,
    miss_difference_m: missCheck.differenceKm * M_PER_KM,
    miss_tolerance_m: missCheck.toleranceKm * M_PER_KM,
    covariance_source: r.covarianceSource,
    confidence: r.confidence,
    is_maximum: r.isMaximum,
    cdm_pc: input.collisionProbability ?? null,
    cdm_pc_method: input.collisionProbabilityMethod ?? null,
    cdm_pc_disagrees: pcCheck === undefined ? null : !pcCheck.agrees,
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(method === 'all' ? rows : rows[0], null, 2)}\n`);
  } else {
    for (const r of rows) {
      process.stdout.write(
        `${r.method.padEnd(18)} Pc ${r.pc.toExponential(6)}  HBR ${r.hbr_m} m (${r.hbr_source})  miss ${r.miss_m.toFixed(1)} m  TCA ${r.tca_utc}${r.is_maximum ? '  (maximum, low confidence)' : ''}${r.miss_disagrees ? `  (MISS_DISTANCE ${r.cdm_miss_m} m disagrees)` : ''}\n`,
      );
    }
  }
  return 0;
}
