#!/usr/bin/env bash
# integrations/kexec-tools/build.sh SRC_DIR ARCH OUT_KEXEC
#
# Builds a static kexec for ARCH (arm64 or x86_64) from an unpacked kexec-tools source
# tree (2.0.25, e.g. Debian bookworm's `apt-get source kexec-tools`, with patches/; or
# 2.0.32, with patches-2.0.32/) and the gen-purgatory blob as generated source, writes it to
# OUT_KEXEC. SRC_DIR is left as it is: the build runs in a temporary copy. A tree that
# already carries the series (kexec/gen-purgatory-wrap.c) is built without patching.
#
# arm64 on an x86_64 machine is cross-built with Debian's gcc-aarch64-linux-gnu.
# Configured --without-zlib --without-lzma --without-xen: a static binary then needs no
# target-arch static libraries; the cost is that this kexec does not decompress
# Image.gz or vmlinux.xz itself (a packager's build keeps its own configure options).
#
# GEN_PURGATORY overrides the generator command (default: this checkout's
# bin/gen-purgatory.js, which runs its dist/ build: npm install or npm run build first).
# KEEP_BUILD=1 keeps the temporary build tree and prints where it is.
set -euo pipefail

usage() { echo "usage: $0 SRC_DIR arm64|x86_64 OUT_KEXEC" >&2; exit 64; }
[ $# -eq 3 ] || usage
src=$1 arch=$2 out=$3
case $arch in
  arm64) triplet=aarch64-linux-gnu ;;
  x86_64) triplet=x86_64-linux-gnu ;;
  *) usage ;;
esac
[ -f "$src/kexec/kexec.c" ] || { echo "$0: $src is not a kexec-tools source tree (no kexec/kexec.c)" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -n "${GEN_PURGATORY:-}" ]; then read -ra gen <<<"$GEN_PURGATORY"; else gen=(node "$root/bin/gen-purgatory.js"); fi
build=$(uname -m)-linux-gnu
# Native builds use the plain gcc; anything else needs the cross compiler.
cc=gcc
[ "$triplet" = "$build" ] || cc=$triplet-gcc
command -v "$cc" >/dev/null || { echo "$0: $cc not found (Debian: apt-get install gcc-$triplet)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kexec-tools-build.XXXXXX")
if [ "${KEEP_BUILD:-}" = 1 ]; then echo "build tree: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
tree=$work/kexec-tools
cp -a "$src/." "$tree"
cd "$tree"
# A previous in-tree build would leave objects of another arch behind.
[ ! -f Makefile ] || make -s distclean >/dev/null 2>&1 || true

# patches/ is the series for 2.0.25; patches-VERSION/ one for another release.
version=$(sed -n 's/^AC_INIT(\[*kexec-tools\]*, *\[*\([0-9.]*\).*/\1/p' configure.ac)
series=patches
[ ! -d "$here/patches-$version" ] || series=patches-$version
if [ -f kexec/gen-purgatory-wrap.c ]; then
  echo "build.sh: $src already carries the gen-purgatory series" >&2
else
  while read -r patch; do
    case $patch in ''|'#'*) continue ;; esac
    patch -p1 --forward --quiet < "$here/$series/${patch%% *}" ||
      { echo "$0: $series/$patch does not apply to $src (kexec-tools $version)" >&2; exit 1; }
  done < "$here/$series/series"
fi
# A git checkout has no configure script; release tarballs and Debian's source do.
[ -x configure ] || ./bootstrap >/dev/null 2>&1 ||
  { echo "$0: no configure script, and ./bootstrap failed (needs autoconf)" >&2; exit 2; }

"${gen[@]}" --arch "$arch" --format c -o kexec/gen-purgatory >&2

# -s: a stripped binary, as it goes into initramfs images.
LDFLAGS="-static -s" CC=$cc ./configure --build="$build" --host="$triplet" \
  --without-zlib --without-lzma --without-xen >configure.log 2>&1 ||
  { tail -20 configure.log >&2; echo "$0: configure failed (log above)" >&2; exit 1; }
make -j"$(nproc)" build/sbin/kexec >make.log 2>&1 ||
  { tail -30 make.log >&2; echo "$0: make failed (log above)" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
install -m 0755 build/sbin/kexec "$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
echo "build.sh: wrote $out ($arch, static, kexec-tools $version with $series/)" >&2
