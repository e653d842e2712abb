#!/usr/bin/env bash
# Installs what `npm run bench` needs: everything the tests need (scripts/setup-tests.sh:
# QEMU, the Debian kernels and busybox), plus Debian's EDK2 builds for the firmware
# baseline: qemu-efi-aarch64 (/usr/share/qemu-efi-aarch64/QEMU_EFI.fd) and ovmf
# (/usr/share/ovmf/OVMF.fd). Idempotent; needs root for apt-get the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-tests.sh

need_apt=()
[ -f /usr/share/qemu-efi-aarch64/QEMU_EFI.fd ] || need_apt+=(qemu-efi-aarch64)
[ -f /usr/share/ovmf/OVMF.fd ] || need_apt+=(ovmf)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
for fw in /usr/share/qemu-efi-aarch64/QEMU_EFI.fd /usr/share/ovmf/OVMF.fd; do
  [ -f "$fw" ] || { echo "setup-bench: $fw still missing after installing its package" >&2; exit 1; }
done
echo "setup-bench: EDK2 firmware present (QEMU_EFI.fd, OVMF.fd)"
