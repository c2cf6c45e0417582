/**
 * The admin's script that rebuilds the search index: `npm run build-index` (or
 * `npx tsx scripts/build-index.ts`). It chunks the articles in `corpus/`, embeds what changed
 * with the configured model and switches the index the bot serves in one step; a build that
 * fails leaves the served index as it was. Options: `npm run build-index -- --help`.
 *
 * It is the `build-index` command of the one command line (src/cli/main.ts), which owns
 * `.env`, the arguments and the exit code.
 */
process.argv.splice(2, 0, 'build-index');
await import('../src/cli/main.js');
