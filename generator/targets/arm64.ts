import { arm64Audit } from '../audit/arm64.ts';
import { BSS_STUBS, CODE_STUBS, DATA_STUBS, type Target } from './target.ts';

export const arm64: Target = {
  name: 'arm64',
  peMachine: 0xaa64,
  elfMachine: 183, // EM_AARCH64
  asm: { arch: 'ARM64', mode: 'LITTLE_ENDIAN' },
  disasm: { arch: 'ARM64', mode: 'ARM' },
  codeStubs: CODE_STUBS,
  dataStubs: DATA_STUBS,
  bssStubs: BSS_STUBS,
  alignTo: (log2: number): string => `.p2align 0x${log2.toString(16)}`,
  blobAlign: 0x1000,
  pcReach: 0x10_0000, // adr: ±1 MiB
  stackSize: 0x10000,
  defaultConsole: 'pl011,0x9000000', // QEMU virt's UART
  imageAlign: 0x200000, // an Image wants a 2 MiB aligned base (booting.rst)
  planFloor: 0,
  userRunner: ['qemu-aarch64'],
  pageSize: 0x1000,
  audit: arm64Audit,
  // movz x0, #3; movk x0, #0x8000, lsl #48; ret
  efiUnsupportedEntry: [0x60, 0x00, 0x80, 0xd2, 0x00, 0x00, 0xf0, 0xf2, 0xc0, 0x03, 0x5f, 0xd6],
};
