// Facts about templates/ the audit cannot read from machine code and takes on trust:
// each is shown in the report with its reason, so a reviewer can check it against the
// source. Keep this short: every entry is a place where the proof is an argument.

/** A self-recursive function and the most activations it can have at once. */
export interface RecursionBound {
  bound: number;
  why: string;
}

export const RECURSION: Readonly<Record<string, RecursionBound>> = {
  paging__mapIn: {
    bound: 5,
    why: 'templates/paging.ts mapIn recurses once per page-table level (depth < levels - 1); levels is 4, or 5 with LA57',
  },
  peloader__putDecimal: {
    bound: 20,
    why: 'templates/peloader.ts putDecimal recurses once per decimal digit of a u64 (at most 20)',
  },
};

/** What an indirect call in a function can reach, when narrower than every address taken. */
export interface IndirectTargets {
  targets: readonly string[];
  why: string;
}

export const INDIRECT: Readonly<Record<string, IndirectTargets>> = {
  image__loadFile: {
    targets: ['loadfile2__initrdLoadFile'],
    why: 'templates/image.ts loadFile calls EFI_LOAD_FILE2_PROTOCOL.LoadFile; the only one the blob installs is the initrd\'s ' +
      '(templates/loadfile2.ts). One an image installed is foreign code, reached only when the image calls LoadImage, on its own stack',
  },
};
