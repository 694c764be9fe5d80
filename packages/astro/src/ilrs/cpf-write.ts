/**
 * CPF writer (see cpf-model.ts for the format): fixed-format records that parseCpf reads back to
 * identical values. Every number is written with the format's usual decimals when that text reads
 * back to the same double, and in full otherwise. Comments are written after H9.
 */
import type { CpfFile } from './cpf-model.js';

/** `v` with `decimals` decimals when that reads back identical, else in full. */
function fmt(v: number, decimals: number, width = 0): string {
  let s = v.toFixed(decimals);
  if (Number(s) !== v) s = String(v);
  return s.padStart(width);
}

/** Writes a CPF file that parseCpf reads back to identical values (comments after H9). */
export function writeCpf(cpf: CpfFile): string {
  const h = cpf.header;
  const lines: string[] = [];
  const h1 = [
    'H1 CPF',
    String(h.version).padStart(2),
    h.source.padStart(4),
    String(h.productionYear),
    String(h.productionMonth).padStart(2),
    String(h.productionDay).padStart(2),
    String(h.productionHour).padStart(2),
    String(h.sequenceNumber).padStart(5),
  ];
  if (h.version === 2) h1.push(String(h.subDailySequenceNumber ?? 1).padStart(2));
  h1.push(h.targetName);
  if (h.notes !== undefined) h1.push(h.notes);
  lines.push(h1.join(' '));
  const d6 = (d: readonly number[]): string => d.map((x, i) => String(x).padStart(i === 0 ? 4 : 2)).join(' ');
  const h2 = [
    'H2',
    h.ilrsId.padStart(8),
    h.sic.padStart(4),
    h.noradId.padStart(8),
    d6(h.start),
    d6(h.end),
    String(h.stepS).padStart(5),
    String(h.compatibleWithTivs),
    String(h.targetClass),
    String(h.referenceFrame).padStart(2),
    String(h.rotationalAngleType),
    String(h.centerOfMassCorrection),
  ];
  if (h.targetLocation !== undefined) h2.push(String(h.targetLocation));
  lines.push(h2.join(' '));
  if (h.h3 !== undefined) lines.push(['H3', ...h.h3].join(' '));
  if (h.h4 !== undefined) lines.push(['H4', ...h.h4].join(' '));
  if (h.centerOfMassOffsetM !== undefined) lines.push(`H5 ${fmt(h.centerOfMassOffsetM, 4)}`);
  lines.push('H9');
  for (const c of cpf.comments) lines.push(`00 ${c}`);
  for (const e of cpf.entries) {
    const [x, y, z] = e.positionM;
    lines.push(
      `10 ${e.directionFlag} ${e.mjd} ${fmt(e.secondsOfDay, 6, 13)} ${String(e.leapSecond).padStart(2)} ${fmt(x, 3, 17)} ${fmt(y, 3, 17)} ${fmt(z, 3, 17)}`,
    );
    if (e.velocityMPerS !== undefined) {
      const [vx, vy, vz] = e.velocityMPerS;
      lines.push(`20 ${e.velocityDirectionFlag ?? 0} ${fmt(vx, 6, 15)} ${fmt(vy, 6, 15)} ${fmt(vz, 6, 15)}`);
    }
    for (const x of e.extra) lines.push([x.record, ...x.fields].join(' '));
  }
  lines.push('99');
  return `${lines.join('\n')}\n`;
}
