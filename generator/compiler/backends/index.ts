// The back end of each architecture, by target name.
import type { ArchName } from '../../targets/target.ts';
import type { Backend } from '../ir.ts';
import { arm64Backend } from './arm64.ts';
import { x86_64Backend } from './x86_64.ts';

export const BACKENDS: Record<ArchName, Backend> = { arm64: arm64Backend, x86_64: x86_64Backend };
