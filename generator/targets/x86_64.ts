import { x86_64Audit } from '../audit/x86_64.ts';
import { BSS_STUBS, CODE_STUBS, DATA_STUBS, type Target } from './target.ts';

export const x86_64: Target = {
  name: 'x86_64',
  peMachine: 0x8664,
  elfMachine: 62, // EM_X86_64
  asm: { arch: 'X86', mode: '64', syntax: 'ATT' },
  disasm: { arch: 'X86', mode: '64' },
  codeStubs: CODE_STUBS,
  dataStubs: DATA_STUBS,
  bssStubs: BSS_STUBS,
  alignTo: (log2: number): string => `.p2align 0x${log2.toString(16)}, 0x0`,
  blobAlign: 0x1000,
  pcReach: 0x8000_0000, // rip-relative: ±2 GiB
  stackSize: 0x10000,
  defaultConsole: '16550,io,0x3f8', // COM1
  imageAlign: 0x200000,
  planFloor: 0x1000000, // 16 MiB, where kexec-tools starts its initrd search
  userRunner: [],
  pageSize: 0x1000,
  audit: x86_64Audit,
  // mov rax, 0x8000000000000003; ret
  efiUnsupportedEntry: [0x48, 0xb8, 0x03, 0, 0, 0, 0, 0, 0, 0x80, 0xc3],
};
