// The keystone and capstone packages ship no type declarations; these cover the
// handful of members we use.
declare module '@alexaltea/keystone-js' {
  export interface KsResult { mc: Uint8Array; count: number; failed: boolean }
  export interface KsEngine {
    handle_ptr: number;
    asm(code: string, address?: bigint | number): KsResult;
    option(kind: number, value: number): void;
    errno(): number;
    close(): void;
  }
  export interface KsModule {
    Keystone: new (arch: number, mode: number) => KsEngine;
    strerror(code: number): string;
    _malloc(n: number): number;
    _free(p: number): void;
    ccall(name: string, ret: string, types: string[], args: unknown[]): number;
    getValue(p: number, type: string): number;
    setValue(p: number, v: number, type: string): void;
    [constant: string]: unknown;
  }
  const factory: () => Promise<KsModule>;
  export default factory;
}
declare module '@alexaltea/capstone-js' {
  export interface CsInsn { address: bigint; size: number; bytes: number[]; mnemonic: string; op_str: string }
  export interface CsEngine {
    disasm(code: Uint8Array, address: number | bigint, count?: number): CsInsn[];
    option(kind: number, value: number): void;
    close(): void;
  }
  export interface CsModule {
    Capstone: new (arch: number, mode: number) => CsEngine;
    [constant: string]: unknown;
  }
  const factory: () => Promise<CsModule>;
  export default factory;
}
