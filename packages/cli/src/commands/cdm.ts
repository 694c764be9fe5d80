/**
 * `hoshimi cdm convert FILE --to kvn|xml`: rewrites a CCSDS Conjunction Data Message in the other
 * encoding. Reading is strict (mandatory keywords, units); values, comments and unknown-but-valid
 * keys carry over.
 */
import { formatCdmKvn, formatCdmXml, formatIssue, parseCdm } from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { openOutput, readTextInput } from '../io.js';

export const CDM_USAGE = `Usage: hoshimi cdm convert FILE --to kvn|xml [--out FILE]

Reads a CCSDS 508.0-B-1 CDM (KVN or XML, detected by content) and writes it in the other encoding.
`;

export async function cdmCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(CDM_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'convert')
    throw new CliError('USAGE', `unknown cdm subcommand ${JSON.stringify(sub)}\n\n${CDM_USAGE}`);
  const { values, positionals } = parseCliArgs('hoshimi cdm convert', CDM_USAGE, {
    args: [...rest],
    options: { to: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (positionals.length !== 1 || file === undefined)
    throw new CliError('USAGE', `cdm convert needs one FILE\n\n${CDM_USAGE}`);
  if (values.to !== 'kvn' && values.to !== 'xml') {
    throw new CliError('USAGE', `--to: expected kvn or xml, got ${values.to ?? 'nothing'}\n\n${CDM_USAGE}`);
  }
  const parsed = parseCdm(readTextInput(file), { file });
  if (!parsed.ok) throw new CliError('CDM_INVALID', parsed.issues.map(formatIssue).join('\n'));
  for (const w of parsed.warnings) process.stderr.write(`warning: ${formatIssue(w)}\n`);
  const text = values.to === 'kvn' ? formatCdmKvn(parsed.value) : formatCdmXml(parsed.value);
  const sink = openOutput(values.out);
  try {
    await sink.write(text);
    await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
  return 0;
}
