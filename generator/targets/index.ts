import { UsageError } from '../errors.ts';
import { arm64 } from './arm64.ts';
import type { Target } from './target.ts';
import { x86_64 } from './x86_64.ts';

export const TARGETS: readonly Target[] = [arm64, x86_64];

export function targetByName(name: string | undefined): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) {
    const names = TARGETS.map((x) => x.name).join('|');
    throw new UsageError(name ? `unknown arch '${name}' (expected ${names})` : `--arch ${names} is required`);
  }
  return t;
}
