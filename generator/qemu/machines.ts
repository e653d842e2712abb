// The QEMU machine for each architecture, looked up by the target's name.
import type { ArchName } from '../targets/target.ts';
import type { QemuMachine } from './machine.ts';
import { machine as arm64 } from './arm64.ts';
import { machine as x86_64 } from './x86_64.ts';

export const MACHINES: Record<ArchName, QemuMachine> = { arm64, x86_64 };
