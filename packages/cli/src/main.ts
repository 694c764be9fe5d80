/** Entry point of the `hoshimi` command. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`hoshimi: no command yet (${argv.join(' ')})\n`);
  return 2;
}
