// Command-line start-up and generation (npm run bench): each command in a fresh process,
// timed from spawning Node to its exit, medians of BENCH_CLI_RUNS (default 11) runs,
// interleaved; then where a cold `--arch` spends its time (bench/phases.ts). Prints
// markdown tables for docs/performance.md. The goals (issue 13) are checked here, never
// in tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianKernel, ROOT } from '../test/support/debian.ts';

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 11);
const BIN = join(ROOT, 'bin', 'gen-purgatory.js');

interface Case {
  what: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Seconds, from issue 13. */
  goal?: number;
}

/** Milliseconds from spawning the command to its exit; throws if it failed. */
function timed(c: Case): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...c.args], { cwd: ROOT, env: { ...process.env, ...c.env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`gen-purgatory ${c.args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cases(out: string): Case[] {
  const image = debianKernel('arm64');
  return [
    { what: '`--version`', args: ['--version'], goal: 0.15 },
    { what: '`inspect` of the arm64 Image (27 MB)', args: ['inspect', image], goal: 0.3 },
    { what: '`--arch arm64`', args: ['--arch', 'arm64', '-o', join(out, 'arm64')], goal: 1.0 },
    { what: '`--arch x86_64`', args: ['--arch', 'x86_64', '-o', join(out, 'x86_64')] },
    {
      what: '`--arch arm64`, front end run (`GEN_PURGATORY_PRECOMPILED=0`)', args: ['--arch', 'arm64', '-o', join(out, 'arm64-fe')],
      env: { GEN_PURGATORY_PRECOMPILED: '0' },
    },
  ];
}

function report(rows: { c: Case; times: number[] }[]): string {
  const s = (ms: number): string => (ms / 1000).toFixed(3);
  return [
    `Medians of ${RUNS} runs, seconds from spawning \`node bin/gen-purgatory.js …\` to its exit.`,
    '',
    '| command | median | fastest | slowest | goal |',
    '|---|---|---|---|---|',
    ...rows.map(({ c, times }) => {
      const m = median(times);
      const goal = c.goal === undefined ? '' : `≤ ${c.goal} (${m / 1000 <= c.goal ? 'met' : 'missed'})`;
      return `| ${c.what} | ${s(m)} | ${s(Math.min(...times))} | ${s(Math.max(...times))} | ${goal} |`;
    }),
  ].join('\n') + '\n';
}

/** Median time of each phase of a cold generation, over RUNS fresh processes. */
function phases(arch: string, front: boolean): Record<string, number> {
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'phases.ts'), arch, front ? 'front' : 'saved'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench/phases.ts ${arch}: ${r.stderr.trim()}`);
    runs.push(JSON.parse(r.stdout) as Record<string, number>);
  }
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((p) => p[k]))]));
}

function phaseReport(columns: [string, Record<string, number>][]): string {
  const names = Object.keys(columns[0][1]);
  const total = (p: Record<string, number>): number => Object.values(p).reduce((a, b) => a + b, 0);
  return [
    `Phases of one cold generation in a fresh process (bench/phases.ts, the build in dist/), medians of ${RUNS} runs, milliseconds; keystone and capstone are loaded at first use, not ahead as the CLI does.`,
    '',
    `| phase | ${columns.map(([c]) => c).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...names.map((n) => `| ${n} | ${columns.map(([, p]) => p[n].toFixed(0)).join(' | ')} |`),
    `| sum | ${columns.map(([, p]) => total(p).toFixed(0)).join(' | ')} |`,
  ].join('\n') + '\n';
}

const out = mkdtempSync(join(tmpdir(), 'gen-purgatory-bench-cli-'));
try {
  const rows = cases(out).map((c) => ({ c, times: [] as number[] }));
  for (let i = 0; i < RUNS; i++) for (const row of rows) row.times.push(timed(row.c));
  process.stdout.write(report(rows));
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.stdout.write(`\n${phaseReport([
  ['arm64, front end run', phases('arm64', true)], ['arm64, precompiled', phases('arm64', false)],
  ['x86_64, precompiled', phases('x86_64', false)],
])}`);
