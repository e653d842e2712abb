#!/usr/bin/env -S node --stack-size=3900
// (--stack-size: `compile --host` recurses as deeply as the machine code; 3900 KiB fits
// the 8 MiB main-thread stack.)
// Runs the TypeScript CLI directly through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../generator/cli.ts');
process.exitCode = await main(process.argv.slice(2));
