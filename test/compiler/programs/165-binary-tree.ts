// expect: 9342479562623480948
// A binary search tree in zeroed memory: recursive insert, height, in-order sum and count.
import { u64, ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load64, store64 } from '../../../templates/rt/intrinsics.ts';

const TreeNode = struct({ key: u64, left: ptr, right: ptr });
const POOL = zeroed(24n * 256n);
let used: u64 = 0n;

function node(k: u64): ptr {
  const p: ptr = POOL + used * TreeNode.$size;
  used++;
  store64(p + TreeNode.key, k);
  return p;
}
function insert(t: ptr, k: u64): ptr {
  if (t == 0n) return node(k);
  if (k < load64(t + TreeNode.key)) store64(t + TreeNode.left, insert(load64(t + TreeNode.left), k));
  else if (k > load64(t + TreeNode.key)) store64(t + TreeNode.right, insert(load64(t + TreeNode.right), k));
  return t;
}
function height(t: ptr): u64 {
  if (t == 0n) return 0n;
  const l: u64 = height(load64(t + TreeNode.left));
  const r: u64 = height(load64(t + TreeNode.right));
  return (l > r ? l : r) + 1n;
}
function inorder(t: ptr, acc: u64): u64 {
  if (t == 0n) return acc;
  acc = inorder(load64(t + TreeNode.left), acc);
  acc = acc * 1000003n + load64(t + TreeNode.key);
  return inorder(load64(t + TreeNode.right), acc);
}

export function main(): u64 {
  let root: ptr = 0n;
  let k: u64 = 1n;
  for (let i: u64 = 0n; i < 200n; i++) {
    k = (k * 75n) % 65537n;
    root = insert(root, k % 1000n);
  }
  return (used << 48n) ^ (height(root) << 40n) ^ inorder(root, 0n);
}
