// expect: 9796554663963146904
// switch inside a loop: break leaves the switch only, continue goes to the loop's next turn.
import { u64 } from '../../../templates/rt/types.ts';

export function main(): u64 {
  let s: u64 = 0n;
  let n: u64 = 0n;
  for (let i: u64 = 0n; i < 20n; i++) {
    switch (i % 5n) {
      case 0n:
        s += 1n;
        break;
      case 1n:
        continue;
      case 2n:
        s *= 2n;
        break;
      case 3n: {
        let t: u64 = i * i;
        s += t;
        break;
      }
      default:
        s ^= 0xffn;
    }
    n++;
  }
  // a tiny state machine
  let state: u64 = 0n;
  let out: u64 = 0n;
  for (let k: u64 = 0n; k < 30n; k++) {
    switch (state) {
      case 0n:
        state = k % 2n == 0n ? 1n : 2n;
        break;
      case 1n:
        out = out * 3n + 1n;
        state = 2n;
        break;
      case 2n:
        out = out * 3n + 2n;
        state = k % 3n;
        break;
    }
  }
  return s * 1000n + n + (out << 32n);
}
