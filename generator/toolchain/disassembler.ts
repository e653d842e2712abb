// capstone behind a small typed interface: decode bytes into instructions.
import MCapstone, { type CsModule } from '@alexaltea/capstone-js';

export interface DisasmMode {
  arch: 'ARM64' | 'X86';
  mode: 'ARM' | '64' | '32' | '16';
}

export interface Instruction {
  offset: number;
  size: number;
  bytes: Uint8Array;
  text: string;
}

let modulePromise: Promise<CsModule> | undefined;
function capstone(): Promise<CsModule> {
  modulePromise ??= MCapstone();
  return modulePromise;
}

function constant(cs: CsModule, name: string): number {
  const v = cs[name];
  if (typeof v !== 'number') throw new Error(`capstone has no constant ${name}`);
  return v;
}

/**
 * Decodes up to `count` instructions of `code` starting at `offset`, addressed as
 * `base + offset`. Stops early at bytes capstone cannot decode.
 */
export async function disassemble(
  code: Uint8Array, mode: DisasmMode, base: bigint, offset = 0, count = 0,
): Promise<Instruction[]> {
  const cs = await capstone();
  const d = new cs.Capstone(constant(cs, `ARCH_${mode.arch}`), constant(cs, `MODE_${mode.mode}`));
  try {
    const slice = code.subarray(offset);
    return d.disasm(slice, base + BigInt(offset), count).map((i) => {
      const at = Number(i.address - base);
      return {
        offset: at,
        size: i.size,
        bytes: code.subarray(at, at + i.size),
        text: i.op_str ? `${i.mnemonic} ${i.op_str}` : i.mnemonic,
      };
    });
  } finally {
    d.close();
  }
}
