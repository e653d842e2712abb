// What the blob does when the image is bad in a way only the guest can see: one clear
// line on the console, the machine stops, and `qemu` exits non-zero naming that line.
// The images are tiny crafted PE files the host-side checks accept.
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliAsync, type CliResult } from '../support/cli.ts';
import { craftArm64Image, craftBzImage, relocBlock, SECTION_ALIGN, OPT } from '../formats/craft.ts';
import { tempDir } from '../support/tmp.ts';

const dir = tempDir('gp-guest-err-');

function file(name: string, data: Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, data);
  return f;
}

function run(arch: string, image: string): Promise<CliResult> {
  return cliAsync(['qemu', '--arch', arch, image, '--timeout', '60']);
}

/** The run failed on the guest's error line, which is also the last thing it printed. */
function expectGuestError(r: CliResult, line: RegExp): void {
  expect(r.status, r.stdout).toBe(1);
  expect(r.stdout).toMatch(line);
  expect(r.stderr).toMatch(/qemu: the guest reported a failure: gen-purgatory: error: /);
}

describe('the blob stops with one clear line', () => {
  // The vector table is written at run time (vectors.s); VBAR_EL1 or VBAR_EL2 points at it.
  it.each([[[], 1], [['--el2'], 2], [['--vhe'], 2]] as [string[], number][])(
    'arm64 %j: an image whose entry point is an undefined instruction gets a register dump', async (flags, el) => {
      const img = craftArm64Image();
      img.fill(0, 0x400, 0x600); // .text: udf #0 everywhere; the entry point is its start
      const r = await cliAsync(['qemu', '--arch', 'arm64', file('udf.efi', img), '--timeout', '60', ...flags]);
      expectGuestError(r, new RegExp(`^gen-purgatory: error: exception sync \\(current EL with SPx\\) el=${el} ESR=0x2000000 ELR=0x([0-9a-f]+) FAR=0x[0-9a-f]+ SPSR=0x[0-9a-f]+\\r?$`, 'm'));
      // The image's entry got the handle the blob announced in x0: the dump shows the
      // interrupted x0 (parked in TPIDRRO_EL0 by the vector), not the handler's.
      const handle = /starting the image, handle (0x[0-9a-f]+)/.exec(r.stdout)?.[1];
      expect(handle, r.stdout).toBeDefined();
      expect(r.stdout).toMatch(new RegExp(`^\\s*x0=${handle} x1=0x[0-9a-f]+ `, 'm'));
      const names = [...r.stdout.matchAll(/\b(x\d+|sp)=0x[0-9a-f]+/g)].map((m) => m[1]);
      expect(names).toEqual([...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp']);
    });

  it('x86_64: an image whose entry point is ud2 gets a register dump', async () => {
    const img = craftBzImage();
    for (let i = 0x400; i < 0xa00; i += 2) img.set([0x0f, 0x0b], i); // ud2
    const r = await run('x86_64', file('ud2.efi', img));
    expectGuestError(r, /^gen-purgatory: error: exception 0x6 #UD err=0x0 rip=0x[0-9a-f]+ cs=0x10 /m);
    expect(r.stdout).toMatch(/rax=0x[0-9a-f]+ rbx=/);
  });

  it('x86_64: a fault with an error code (#GP) reports it, with the registers the image had', async () => {
    const movabs = (opcode: number, v: bigint): number[] => [0x48, opcode, ...Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn))];
    const img = craftBzImage();
    // rax = …1230, rbx = 0xbbbb…, then mov %eax, %ds: #GP with selector 0x1230 as its error code
    img.set([...movabs(0xb8, 0x1111222233331230n), ...movabs(0xbb, 0xbbbbbbbbbbbbbbbbn), 0x8e, 0xd8], 0x400);
    const r = await run('x86_64', file('gp.efi', img));
    expectGuestError(r, /^gen-purgatory: error: exception 0xd #GP err=0x1230 rip=0x[0-9a-f]+ cs=0x10 /m);
    expect(r.stdout).toMatch(/rax=0x1111222233331230 rbx=0xbbbbbbbbbbbbbbbb /);
  });

  it('x86_64 with LA57: the fault happens on our 5-level tables, and the dump shows it', async () => {
    const img = craftBzImage();
    for (let i = 0x400; i < 0xa00; i += 2) img.set([0x0f, 0x0b], i);
    const r = await cliAsync(['qemu', '--arch', 'x86_64', file('ud2-la57.efi', img), '--timeout', '60', '--la57']);
    expectGuestError(r, /^gen-purgatory: error: exception 0x6 #UD /m);
    const cr4 = /cr4=0x([0-9a-f]+)/.exec(r.stdout);
    expect(BigInt(`0x${cr4?.[1] ?? '0'}`) & 0x1000n).toBe(0x1000n);
  });

  it('arm64: an image with a relocation type no loader applies is refused by LoadImage', async () => {
    const img = craftArm64Image();
    const v = new DataView(img.buffer);
    v.setUint32(OPT + 112 + 5 * 8, SECTION_ALIGN, true); // base relocations: the start of .text
    v.setUint32(OPT + 112 + 5 * 8 + 4, 10, true);
    img.set(relocBlock(SECTION_ALIGN, [0x3008]), 0x400); // HIGHLOW: 32-bit only
    const r = await run('arm64', file('reloc.efi', img));
    expect(r.stdout).toMatch(/^gen-purgatory: LoadImage: .*relocation.* 0x3\r?$/m);
    expectGuestError(r, /^gen-purgatory: error: LoadImage of the kernel image failed, status 0x8000000000000001\r?$/m);
  });
});
