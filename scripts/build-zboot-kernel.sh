#!/usr/bin/env bash
# Builds the arm64 zboot kernel the kdump tests use as a crash kernel: the shared
# fixture's configuration (tinyconfig + shared/fixtures/zboot-6.12-arm64/config.fragment)
# plus integrations' crash-dump fragment, from Debian's linux-source-6.12, cross-compiled.
# The shared fixture lacks CONFIG_CRASH_DUMP, so it has no /proc/vmcore as a crash kernel.
# Cached in .cache/kernels/zboot-crash-arm64/ (vmlinuz.efi, kernel.config); idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/kernels/zboot-crash-arm64
[ -f "$out/vmlinuz.efi" ] && exit 0
work=.cache/kernels/build-zboot-crash-arm64
src=$work/linux-source-6.12
if [ ! -f "$work/unpacked" ]; then
  rm -rf "$work"; mkdir -p "$work"
  apt-cache show linux-source-6.12 >/dev/null 2>&1 || apt-get update -qq
  (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root linux-source-6.12 >/dev/null)
  dpkg-deb -x "$work"/linux-source-6.12_*.deb "$work/pkg"
  tar -xf "$work"/pkg/usr/src/linux-source-6.12.tar.* -C "$work"
  rm -rf "$work/pkg" "$work"/*.deb
  touch "$work/unpacked"
fi
frag=$PWD/test/fixtures/kernel/zboot-crash.fragment
base=$PWD/../shared/fixtures/zboot-6.12-arm64/config.fragment
[ -f "$base" ] || base=$PWD/test/fixtures/kernel/zboot-base.fragment
make_=(make -s -C "$src" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KBUILD_BUILD_TIMESTAMP=2026-01-01
       KBUILD_BUILD_USER=gen-purgatory KBUILD_BUILD_HOST=build "-j$(nproc)")
"${make_[@]}" tinyconfig >/dev/null
(cd "$src" && ARCH=arm64 scripts/kconfig/merge_config.sh -m .config "$base" "$frag" >/dev/null)
"${make_[@]}" olddefconfig >/dev/null
for opt in $(grep -o '^CONFIG_[A-Z0-9_]*=y' "$frag" | cut -d= -f1); do
  grep -qx "$opt=y" "$src/.config" || { echo "build-zboot-kernel: $opt did not stick in .config" >&2; exit 1; }
done
"${make_[@]}" vmlinuz.efi
mkdir -p "$out.tmp"
cp "$src/arch/arm64/boot/vmlinuz.efi" "$out.tmp/vmlinuz.efi"
cp "$src/.config" "$out.tmp/kernel.config"
rm -rf "$out"; mv "$out.tmp" "$out"
rm -rf "$work"
echo "build-zboot-kernel: $out/vmlinuz.efi"
