// expect: 20219793040
// EFI_TIME in a struct (u16 year, u8 fields, i16 time zone): convert to seconds since 1970.
import { u8, u16, u32, u64, i16, i64, type ptr } from '../../../templates/rt/types.ts';
import { struct, zeroed, load8, load16, store8, store16, store32 } from '../../../templates/rt/intrinsics.ts';

const Time = struct({ year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8, pad1: u8,
  nanosecond: u32, timeZone: i16, daylight: u8, pad2: u8 });
const T = zeroed(16n);

function isLeap(y: u64): boolean {
  return y % 4n == 0n && (y % 100n != 0n || y % 400n == 0n);
}
function daysBeforeMonth(m: u64, leap: u64): u64 {
  let d: u64 = 0n;
  for (let i: u64 = 1n; i < m; i++) {
    switch (i) {
      case 2n:
        d += leap != 0n ? 29n : 28n;
        break;
      case 4n:
      case 6n:
      case 9n:
      case 11n:
        d += 30n;
        break;
      default:
        d += 31n;
    }
  }
  return d;
}
function set(p: ptr, y: u16, mo: u8, d: u8, h: u8, mi: u8, s: u8, tz: i16): void {
  store16(p + Time.year, y);
  store8(p + Time.month, mo);
  store8(p + Time.day, d);
  store8(p + Time.hour, h);
  store8(p + Time.minute, mi);
  store8(p + Time.second, s);
  store32(p + Time.nanosecond, 0n);
  store16(p + Time.timeZone, u16(tz));
}
function toUnix(p: ptr): i64 {
  const y: u64 = u64(load16(p + Time.year));
  let days: u64 = 0n;
  for (let yy: u64 = 1970n; yy < y; yy++) days += isLeap(yy) ? 366n : 365n;
  days += daysBeforeMonth(u64(load8(p + Time.month)), isLeap(y) ? 1n : 0n) + u64(load8(p + Time.day)) - 1n;
  const secs: i64 = i64(days * 86400n + u64(load8(p + Time.hour)) * 3600n + u64(load8(p + Time.minute)) * 60n + u64(load8(p + Time.second)));
  // TimeZone is minutes offset from UTC (local = UTC - TimeZone in UEFI 2.x)
  const tz: i16 = i16(load16(p + Time.timeZone));
  return secs + i64(tz) * 60n;
}

export function main(): i64 {
  let r: i64 = 0n;
  if (Time.nanosecond == 8n && Time.timeZone == 12n && Time.daylight == 14n && Time.$size == 16n) r |= 1n;
  set(T, 2000n, 3n, 1n, 0n, 0n, 0n, 0n);
  const a: i64 = toUnix(T);
  if (a == 951868800n) r |= 2n;
  set(T, 2038n, 1n, 19n, 3n, 14n, 8n, 0n);
  const b: i64 = toUnix(T);
  if (b == 2147483648n) r |= 4n;
  set(T, 1999n, 12n, 31n, 23n, 59n, 59n, -60n);
  const c: i64 = toUnix(T);
  return a * 3n + b * 5n + c * 7n + r;
}
