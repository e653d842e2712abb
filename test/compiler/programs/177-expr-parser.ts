// expect: 1500006992048
// A recursive-descent parser and evaluator for i64 arithmetic over ascii text:
// expr := term (('+'|'-') term)*, term := factor (('*'|'/'|'%') factor)*, factor := num | '-' factor | '(' expr ')'.
import { u8, u64, i64, type ptr } from '../../../templates/rt/types.ts';
import { ascii, load8 } from '../../../templates/rt/intrinsics.ts';

const E1 = ascii('(1+2)*3-4/2');
const E2 = ascii('-(7*(8-10))%5+100/-7');
const E3 = ascii('9223372036854775807+1');
const E4 = ascii('((((((((((1+1)*2)*2)*2)*2)*2)*2)*2)*2)*2)*2');
let src: ptr = 0n;
let pos: u64 = 0n;

function peek(): u8 {
  return load8(src + pos);
}
function factor(): i64 {
  const c: u8 = peek();
  if (c == 45n) {
    pos++;
    return -factor();
  }
  if (c == 40n) {
    pos++;
    const v: i64 = expr();
    pos++;
    return v;
  }
  let v: i64 = 0n;
  while (peek() >= 48n && peek() <= 57n) {
    v = v * 10n + i64(peek() - 48n);
    pos++;
  }
  return v;
}
function term(): i64 {
  let v: i64 = factor();
  while (true) {
    const c: u8 = peek();
    if (c == 42n) {
      pos++;
      v *= factor();
    } else if (c == 47n) {
      pos++;
      v /= factor();
    } else if (c == 37n) {
      pos++;
      v %= factor();
    } else return v;
  }
}
function expr(): i64 {
  let v: i64 = term();
  while (true) {
    const c: u8 = peek();
    if (c == 43n) {
      pos++;
      v += term();
    } else if (c == 45n) {
      pos++;
      v -= term();
    } else return v;
  }
}
function evalAt(p: ptr): i64 {
  src = p;
  pos = 0n;
  return expr();
}

export function main(): i64 {
  let r: i64 = 0n;
  const a: i64 = evalAt(E1);
  const b: i64 = evalAt(E2);
  const c: i64 = evalAt(E3);
  const d: i64 = evalAt(E4);
  if (a == 7n) r |= 1n;
  if (b == -10n) r |= 2n;
  if (c == -9223372036854775808n) r |= 4n;
  if (d == 2048n) r |= 8n;
  return a * 1000000n + b * 1000n + d + r * 100000000000n;
}
