// capstone behind a small typed interface: decode bytes into instructions.
import { createRequire } from 'node:module';
import type { CsEngine, CsInsn, CsModule } from '@alexaltea/capstone-js';

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
/** Loaded on first use, through require(), like keystone (assembler.ts). */
function capstone(): Promise<CsModule> {
  modulePromise ??= (createRequire(import.meta.url)('@alexaltea/capstone-js') as () => Promise<CsModule>)();
  return modulePromise;
}

/** Starts compiling capstone's WebAssembly ahead of use, like preloadKeystone(). */
export function preloadCapstone(): void {
  capstone().catch(() => undefined);
}

function constant(cs: CsModule, name: string): number {
  const v = cs[name];
  if (typeof v !== 'number') throw new Error(`capstone has no constant ${name}`);
  return v;
}

function toInstruction(i: CsInsn, code: Uint8Array, base: bigint): Instruction {
  const at = Number(i.address - base);
  return {
    offset: at,
    size: i.size,
    bytes: code.subarray(at, at + i.size),
    text: i.op_str ? `${i.mnemonic} ${i.op_str}` : i.mnemonic,
  };
}

async function open(mode: DisasmMode): Promise<CsEngine> {
  const cs = await capstone();
  return new cs.Capstone(constant(cs, `ARCH_${mode.arch}`), constant(cs, `MODE_${mode.mode}`));
}

/**
 * Decodes up to `count` instructions of `code` starting at `offset`, addressed as
 * `base + offset`. Stops early at bytes capstone cannot decode.
 */
export async function disassemble(
  code: Uint8Array, mode: DisasmMode, base: bigint, offset = 0, count = 0,
): Promise<Instruction[]> {
  const d = await open(mode);
  try {
    return d.disasm(code.subarray(offset), base + BigInt(offset), count).map((i) => toInstruction(i, code, base));
  } finally {
    d.close();
  }
}

/** One open engine decoding instruction after instruction (the blob's layout). */
export interface Decoder {
  /** The instruction at `offset` of `code` assembled at `base`, if capstone decodes one. */
  one(code: Uint8Array, base: bigint, offset: number): Instruction | undefined;
  close(): void;
}

/**
 * Bytes decoded per call into capstone, which costs far more than one instruction: the
 * instructions after `offset` are decoded ahead, for the calls that ask for them next.
 * Decoding at an offset depends only on the bytes from there, so an instruction decoded
 * ahead is the one a call for its offset would get, even where data sits in between.
 */
const BATCH_BYTES = 4096;

export async function openDecoder(mode: DisasmMode): Promise<Decoder> {
  const d = await open(mode);
  let ahead = new Map<number, Instruction>();
  let from: { code: Uint8Array; base: bigint } | undefined;
  return {
    one(code, base, offset) {
      if (from?.code === code && from.base === base && ahead.has(offset)) return ahead.get(offset);
      from = { code, base };
      ahead = new Map();
      try {
        const window = code.subarray(offset, offset + BATCH_BYTES);
        for (const i of d.disasm(window, base + BigInt(offset), 0)) ahead.set(Number(i.address - base), toInstruction(i, code, base));
      } catch {
        return undefined; // capstone-js throws where cs_disasm decodes nothing
      }
      return ahead.get(offset);
    },
    close: () => d.close(),
  };
}
