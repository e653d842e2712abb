// Loads a templates/ module (or a test harness module) as the host runs it: compiled
// by the front end for its types, transformed for wrap-around, imported fresh.
import { check } from '../../generator/compiler/driver.ts';
import { loadOnHost } from '../../generator/compiler/host.ts';
import { ROOT } from './debian.ts';

export type HostFn = (...args: bigint[]) => bigint;

/** `rel` is project-relative, e.g. 'templates/memmap.ts'. Every call gives fresh module state. */
export async function loadTemplate(rel: string): Promise<Record<string, HostFn>> {
  return (await loadOnHost(check(`${ROOT}/${rel}`))) as Record<string, HostFn>;
}
