// Shared epilogues (Backend.finishCode): every function with a frame ends in its own copy
// of `f.exit: ldp x29, x30, [sp], #size; ret` (a leaf's: `add sp, sp, #size; ret`), and a
// program has only a handful of frame sizes. The first function with a given epilogue keeps it; in every later one, branches
// to its exit go to that copy instead, and its own copy becomes one `b` (kept only where
// the body falls into it). The copy restores x29/x30 and frees the frame from SP alone,
// so it does the same for any function whose frame has that size.

/** The code part of a line, without its comment. */
const codeOf = (line: string | undefined): string => {
  const cut = (line ?? '').indexOf('//'); // not split('//'): this runs on every line of the program
  return (cut < 0 ? line ?? '' : (line ?? '').slice(0, cut)).trim();
};

/** A function's exit label (arm64.ts: `<name>.exit:`), as its name. */
const exitName = (line: string): string | undefined => /^([\w.$]+\.exit):$/.exec(codeOf(line))?.[1];

/** Lines of an epilogue: restore the record, free the frame, return. */
const EPILOGUE = /^(ldp\s+x29, x30, \[sp\], #0x[0-9a-f]+|add\s+sp, sp, (#0x[0-9a-f]+|x9)|mov[zkn]?\s+x9, .*|ret)$/;

/** The epilogue after the exit label at `at`: its lines' code (ending in ret), if it is one. */
function epilogueAt(code: string[], at: number): string[] | undefined {
  const out: string[] = [];
  for (let n = at + 1; n < code.length && EPILOGUE.test(codeOf(code[n])); n++) {
    out.push(codeOf(code[n]).replace(/\s+/g, ' '));
    if (out[out.length - 1] === 'ret') return out.length > 1 ? out : undefined; // a lone ret: nothing to share
  }
  return undefined;
}

/** Whether control can reach the label at `at` other than by a branch to it (not right after a b or ret). */
const fallsInto = (code: string[], at: number): boolean => at === 0 || !/^(b|ret)\b(?!\.)/.test(codeOf(code[at - 1]));

/** Copies `line`'s comment onto `text`, formatted like the back end's lines. */
function withComment(text: string, line: string): string {
  const cut = line.indexOf('//');
  const m = /^(\S+)\s*(.*)$/.exec(text);
  const formatted = m ? `        ${m[1].padEnd(7)} ${m[2]}`.trimEnd() : text;
  return cut < 0 ? formatted : `${formatted.padEnd(47)} ${line.slice(cut)}`;
}

/** The program's code with each distinct epilogue emitted once (see the file comment). */
export function shareEpilogues(code: string[]): string[] {
  const first = new Map<string, string>(); // epilogue text → exit label that keeps it
  const moved = new Map<string, string>(); // exit label → the shared one
  const drop = new Set<number>(); // epilogue lines that go
  const jumps = new Map<number, string>(); // exit label line → the `b` replacing its epilogue
  code.forEach((line, at) => {
    const name = exitName(line);
    const epi = name && epilogueAt(code, at);
    if (!name || !epi) return;
    const key = epi.join('; ');
    const to = first.get(key);
    if (to === undefined) { first.set(key, name); return; }
    moved.set(name, to);
    for (let n = at + 1; n <= at + epi.length; n++) drop.add(n);
    if (fallsInto(code, at)) jumps.set(at, withComment(`b ${to}`, code[at + 1]));
    else drop.add(at);
  });
  if (moved.size === 0) return code;
  return code.flatMap((line, at) => {
    if (drop.has(at)) return [];
    if (jumps.has(at)) return [jumps.get(at) as string]; // the label goes too: nothing names it now
    const b = /^(b|cbz|cbnz|b\.\w+)(\s+(?:[wx]\d+, )?)([\w.$]+\.exit)$/.exec(codeOf(line));
    const to = b && moved.get(b[3]);
    return to ? [withComment(`${b[1]}${b[2]}${to}`, line)] : [line];
  });
}
