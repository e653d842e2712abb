#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../generator/cli.ts');
process.exitCode = await main(process.argv.slice(2));
