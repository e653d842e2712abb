// A blob larger than the back end's pc-relative reach is refused at generation: on arm64
// an `adr` across a 1 MiB zeroed() buffer would otherwise assemble to a wrong address
// and crash at run time. x86-64's rip-relative reach (2 GiB) takes the same blob.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBlob } from '../../generator/blob/build.ts';
import { GenError } from '../../generator/errors.ts';
import { parseConsoleSpec } from '../../generator/loader/console.ts';
import { targetByName } from '../../generator/targets/index.ts';
import { ROOT } from '../support/debian.ts';
import { tempDir } from '../support/tmp.ts';

/** An entry like templates/main.ts whose efiMain writes into a zero-filled buffer of `bytes`. */
function entryWithBuffer(bytes: number): string {
  const dir = tempDir('gp-reach-');
  writeFileSync(join(dir, 'main.ts'), `export { banner } from '${ROOT}/templates/banner.ts';
export { puts, puthex } from '${ROOT}/templates/console.ts';
export { efiMain } from './firmware.ts';
import '${ROOT}/templates/wayin/dtb.ts';
import '${ROOT}/templates/wayin/bootparams.ts';
`);
  writeFileSync(join(dir, 'firmware.ts'), `import { u8, type ptr } from '${ROOT}/templates/rt/types.ts';
import { store8, zeroed } from '${ROOT}/templates/rt/intrinsics.ts';
const BIG: ptr = zeroed(0x${bytes.toString(16)}n);
export function efiMain(h: ptr, _start: ptr, _end: ptr, _con: ptr): void {
  store8(BIG + 0x${(bytes - 1).toString(16)}n, u8(h));
}
`);
  return join(dir, 'main.ts');
}

describe('the blob within the back end\'s pc-relative reach', () => {
  const entry = entryWithBuffer(0x11_0000);

  it('arm64 refuses a blob spanning more than adr reaches, naming the buffer', async () => {
    const arm64 = targetByName('arm64');
    const err = await buildBlob(arm64, parseConsoleSpec(arm64.defaultConsole), 'default', entry).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(GenError);
    expect(String((err as Error).message)).toMatch(/beyond the arm64 back end's pc-relative reach of 0x100000; the largest object is \S*BIG\S* \(0x11000\d bytes\)/);
  });

  it('x86_64 builds the same blob', async () => {
    const x86 = targetByName('x86_64');
    const a = await buildBlob(x86, parseConsoleSpec(x86.defaultConsole), 'default', entry);
    expect(a.header.memSize).toBeGreaterThan(0x11_0000);
  });
});
