// What the QEMU runner needs from each architecture's machine: its memory map and
// firmware facts before planning, and the command line that starts it in kexec state.
import type { ConsoleDesc } from '../loader/console.ts';
import type { MemRegion } from '../loader/memory.ts';
import type { Range } from '../loader/handoff.ts';
import type { Plan } from '../loader/plan.ts';

export interface MachineOptions {
  memoryBytes: number;
  /** arm64: start at EL2 (virtualization=on). Machines without EL2 reject it. */
  el2: boolean;
  /**
   * arm64: start at EL2 with HCR_EL2.E2H and TGE set, as a VHE host kernel kexecs
   * (implies el2; the CPU model is `max`, which has VHE).
   */
  vhe?: boolean;
  /** x86_64: enter the blob with 5-level paging (CR4.LA57), as an LA57 kernel kexecs. */
  la57?: boolean;
  /** Scratch directory for DTBs, segment files and shims; removed after the run. */
  workDir: string;
}

/** The running system as kexec-tools would read it from the first kernel. */
export interface MachineFacts {
  regions: MemRegion[];
  /** The machine's DTB, passed to the new kernel as a segment (arm64). */
  dtb?: Uint8Array;
  psci?: 'hvc' | 'smc';
  console?: ConsoleDesc;
  /** RAM the machine's own firmware or QEMU keeps for itself. */
  avoid: Range[];
}

export interface QemuCommandLine {
  binary: string;
  args: string[];
}

export interface QemuMachine {
  /** QEMU exit statuses that mean "the guest switched the machine off". */
  poweroffStatuses: number[];
  /** Exit status for a failure of the machine's shim, with what it means. */
  failureStatuses: Record<number, string>;
  facts(o: MachineOptions): Promise<MachineFacts>;
  commandLine(plan: Plan, segmentFiles: Map<string, string>, o: MachineOptions): Promise<QemuCommandLine>;
  /** The same machine booting the kernel with QEMU's own -kernel loader: the baseline. */
  directBoot(kernel: string, initrd: string, append: string, memoryBytes: number): QemuCommandLine;
}
