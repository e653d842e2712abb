#!/usr/bin/env bash
# Regenerates test/fixtures/captured/: the boot data Debian's bookworm cloud kernel got,
# under QEMU, from the firmware (direct and UEFI) and from Debian's kexec-tools 2.0.25
# (kexec_load, and on x86_64 kexec_file_load too). See that folder's README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-tests.sh >/dev/null
out=test/fixtures/captured
kernel() { ls .cache/debian/"$1"/linux-image-cloud-"$1"/root/boot/vmlinuz-*; }
capture() { node bin/gen-purgatory.js qemu --kexec --capture "$out" "$@" >/dev/null; }
for fw in direct uefi; do
  capture --arch arm64 --firmware "$fw"
  capture --arch arm64 --firmware "$fw" "$(kernel arm64)"
  capture --arch x86_64 --firmware "$fw"
  capture --arch x86_64 --firmware "$fw" "$(kernel amd64)"
  capture --arch x86_64 --firmware "$fw" --file-load "$(kernel amd64)"
done
