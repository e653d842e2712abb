#!/usr/bin/env bash
# Installs what the test suite needs and fills the git-ignored cache .cache/ with the
# Debian packages the tests boot. Idempotent: a second run only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=.cache/debian
mkdir -p "$cache"

need_apt=()
for tool in qemu-system-aarch64:qemu-system-arm qemu-system-x86_64:qemu-system-x86 \
            aarch64-linux-gnu-as:binutils-aarch64-linux-gnu as:binutils \
            qemu-aarch64:qemu-user dpkg-deb:dpkg cpio:cpio gdb-multiarch:gdb-multiarch \
            sbsign:sbsigntool pesign:pesign openssl:openssl osslsigncode:osslsigncode; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt+=("${tool#*:}")
done
# QEMU's SeaBIOS and option ROMs come with qemu-system-x86's dependencies.
[ -f /usr/share/seabios/bios-256k.bin ] || need_apt+=(seabios)
# EDK2 for first kernels booted by UEFI (gen-purgatory qemu --kexec --firmware uefi).
[ -f /usr/share/qemu-efi-aarch64/QEMU_EFI.fd ] || need_apt+=(qemu-efi-aarch64)
[ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || need_apt+=(ovmf)
# integrations/kexec-tools/build.sh: native and arm64 cross compilers, apt-get source.
for tool in gcc:gcc make:make patch:patch aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu dpkg-source:dpkg-dev; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt+=("${tool#*:}")
done
[ -f /usr/aarch64-linux-gnu/lib/libc.a ] || need_apt+=(libc6-dev-arm64-cross)
# scripts/build-zboot-kernel.sh: Kconfig's lexer and parser, bc for the kernel's headers.
for tool in flex:flex bison:bison bc:bc xz:xz-utils; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt+=("${tool#*:}")
done

apt_updated=
apt_update() {
  [ -n "$apt_updated" ] && return
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  apt-get update -qq
  apt_updated=1
}
if [ ${#need_apt[@]} -gt 0 ]; then
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Package sets the tests use, as "<arch> <package>"; linux-image-cloud-* are meta
# packages and are followed to the versioned image package they depend on.
wanted=(
  "arm64 linux-image-cloud-arm64" "amd64 linux-image-cloud-amd64"
  "arm64 systemd-boot-efi" "amd64 systemd-boot-efi"
  "arm64 busybox-static" "amd64 busybox-static"
)
# Debian's kexec-tools and the packages holding every library its kexec binary loads
# (kexec -> libxenctrl (libxenmisc4.17) -> libxen*; libc6, zlib1g). The harness checks
# the DT_NEEDED closure when it builds the initramfs and names any soname missing here.
kexec_pkgs=(kexec-tools libc6 zlib1g libxenmisc4.17 libxentoollog1 libxentoolcore1 libxencall1
            libxenevtchn1 libxengnttab1 libxenforeignmemory1 libxendevicemodel1)
for pkg in "${kexec_pkgs[@]}"; do wanted+=("arm64 $pkg" "amd64 $pkg"); done

# Each entry's "package" file is written last, so it marks a complete download; a new
# entry in the list is fetched on the next run while the others are left alone.
for entry in "${wanted[@]}"; do
  arch=${entry%% *}; pkg=${entry#* }
  dir="$cache/$arch/$pkg"
  [ -f "$dir/package" ] && continue
  apt_update
  if [[ $pkg == linux-image-cloud-* ]]; then
    pkg=$(apt-cache depends "$pkg:$arch" | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    pkg=${pkg%%:*}
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && apt-get download -qq -o APT::Sandbox::User=root "$pkg:$arch" >/dev/null)
  dpkg-deb -x "$dir"/*.deb "$dir/root"
  echo "$pkg" > "$dir/package"
done
# Debian's kexec-tools source package, for integrations/kexec-tools/build.sh. apt-get
# runs with a private configuration: deb-src entries derived from the system's deb
# entries, its own lists and cache, so the system's apt configuration stays untouched.
ktsrc=.cache/kexec-tools-src
if [ ! -f "$ktsrc/complete" ]; then
  rm -rf "$ktsrc"; apt=$PWD/$ktsrc/apt
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d"
  # deb822 stanzas (Types: deb ...) become Types: deb-src; one-line "deb" lines, deb-src.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN { RS = ""; ORS = "\n\n" } /(^|\n)Types:/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f" \
      > "$apt/sources.list.d/$(basename "$f")"
  done
  : > "$apt/sources.list"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    if [ -f "$f" ]; then sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >> "$apt/sources.list"; fi
  done
  aptopts=(-o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts="$apt/sources.list.d"
           -o Dir::State="$apt" -o Dir::State::Lists="$apt/lists" -o Dir::State::status=/var/lib/dpkg/status
           -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root)
  apt-get "${aptopts[@]}" update -qq
  (cd "$ktsrc" && apt-get "${aptopts[@]}" source -qq kexec-tools >/dev/null)
  tree=$(cd "$ktsrc" && ls -d kexec-tools-*/ | head -n1)
  [ -f "$ktsrc/$tree/kexec/kexec.c" ] || { echo "setup-tests: apt-get source kexec-tools left no source tree in $ktsrc" >&2; exit 1; }
  ln -sfn "${tree%/}" "$ktsrc/tree"
  rm -rf "$apt"
  touch "$ktsrc/complete"
fi

# The zboot crash kernel the kdump tests boot (built once, about 10 minutes on 2 cores).
bash scripts/build-zboot-kernel.sh

echo "setup-tests: tools present, Debian packages cached in $cache"
