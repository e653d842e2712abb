#!/usr/bin/env -S node --stack-size=3900
// (--stack-size: `compile --host` recurses as deeply as the machine code; 3900 KiB fits
// the 8 MiB main-thread stack.)
// Runs the CLI built into dist/ by `npm run build` (npm install and npm test run it).
let cli;
try {
  cli = await import('../dist/generator/cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/generator/cli.js')) throw err;
  process.stderr.write('gen-purgatory: dist/ is missing: run npm install or npm run build\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
