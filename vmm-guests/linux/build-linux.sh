#!/usr/bin/env bash
# Builds the VMMLab Linux 6.1 guest kernel (RV64, QEMU-virt-compatible board)
# with a tiny static /init embedded as its initramfs.
#
#   build-linux.sh [--fpu|--defconfig] [OUTDIR]
#
# Results in OUTDIR (default: the cache directory):
#   Image    the kernel to load at 0x80200000 (e.g. by OpenSBI fw_jump)
#   vmlinux  the same kernel as an ELF with symbols
#   init     the static user-space init inside the initramfs
#   config   the kernel .config used
#
# With --fpu, the floating-point variant instead (a separate build tree):
# CONFIG_FPU=y and fp-init.c as /init (two processes using F and D across
# context switches), into Image-fpu, vmlinux-fpu, fp-init and config-fpu; it
# needs a hart with F and D (vmm run --isa rv64imafdc).
#
# With --defconfig, the kernel as most QEMU users build it: the source's own
# arch/riscv/configs/defconfig (FPU, SMP, PCI, networking, EFI stub, many
# drivers; modules are not built) with the same init embedded, into
# Image-defconfig, vmlinux-defconfig and config-defconfig (build tree
# kbuild-defconfig; about 8 minutes from scratch on 2 cores). It boots on any
# hart (it uses F and D only when riscv,isa lists them);
# scripts/linux-defconfig.sh boots it with --isa rv64gc under every strategy.
#
# Work is cached in ${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}: the source
# tree is unpacked once, the kernel is configured again only when the config
# fragment (or this script) changes, and make rebuilds incrementally, so a
# second run with nothing changed takes seconds.
#
# Needs the Debian packages listed in PACKAGES below; when running as root it
# installs the missing ones with apt-get.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}"
FPU=0
DEFCONFIG=0
if [[ ${1:-} == --fpu ]]; then
    FPU=1
    shift
elif [[ ${1:-} == --defconfig ]]; then
    FPU=1 DEFCONFIG=1
    shift
fi
if [[ ${1:-} == -* ]]; then
    printf '[build-linux] ERROR: %s\n' "unknown option or a second one: $1 (usage: build-linux.sh [--fpu|--defconfig] [OUTDIR])" >&2
    exit 2
fi
OUTDIR="${1:-$CACHE}"
KVER=6.1
TARBALL="/usr/src/linux-source-${KVER}.tar.xz"
CROSS=riscv64-linux-gnu-
JOBS="${JOBS:-$(nproc)}"
PACKAGES=(linux-source-${KVER} gcc-riscv64-linux-gnu gcc libc6-dev make bc bison flex cpio xz-utils)

log() { printf '[build-linux] %s\n' "$*" >&2; }
die() { printf '[build-linux] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- packages --
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        die "missing Debian packages: ${missing[*]} (install them: sudo apt-get install -y ${missing[*]})"
    fi
    log "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ -f $TARBALL ]] || die "$TARBALL not found (package linux-source-${KVER})"
command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found (package gcc-riscv64-linux-gnu)"

mkdir -p "$CACHE" "$OUTDIR"
CACHE="$(cd "$CACHE" && pwd)"
OUTDIR="$(cd "$OUTDIR" && pwd)"
SRC="$CACHE/linux-source-${KVER}"
# The variant's names: build tree, init, initramfs list and results.
if ((DEFCONFIG)); then
    KBUILD="$CACHE/kbuild-defconfig" INIT_SRC="$HERE/init.c" INIT="$CACHE/init" MARCH=rv64imac
    LIST="$CACHE/initramfs.list" SUFFIX=-defconfig FPU_LINE='CONFIG_FPU=y'
elif ((FPU)); then
    KBUILD="$CACHE/kbuild-fpu" INIT_SRC="$HERE/fp-init.c" INIT="$CACHE/fp-init" MARCH=rv64imafdc
    LIST="$CACHE/initramfs-fpu.list" SUFFIX=-fpu FPU_LINE='CONFIG_FPU=y'
else
    KBUILD="$CACHE/kbuild" INIT_SRC="$HERE/init.c" INIT="$CACHE/init" MARCH=rv64imac
    LIST="$CACHE/initramfs.list" SUFFIX= FPU_LINE='# CONFIG_FPU is not set'
fi
KMAKE=(make -s -C "$SRC" O="$KBUILD" ARCH=riscv CROSS_COMPILE="$CROSS")

# ------------------------------------------------------------------ source --
# Unpack once; unpack again (and start the build afresh) when the Debian
# package changes, e.g. a new 6.1.y stable release.
tarball_id="$(stat -c '%s %Y' "$TARBALL") $(dpkg-query -W -f='${Version}' linux-source-${KVER})"
if [[ ! -f $SRC/.vmmlab-unpacked || $(cat "$SRC/.vmmlab-unpacked") != "$tarball_id" ]]; then
    log "unpacking $TARBALL into $CACHE"
    rm -rf "$SRC" "$KBUILD" "$CACHE/unpack.tmp"
    mkdir -p "$CACHE/unpack.tmp"
    tar -xf "$TARBALL" -C "$CACHE/unpack.tmp"
    mv "$CACHE/unpack.tmp/linux-source-${KVER}" "$SRC"
    rmdir "$CACHE/unpack.tmp"
    printf '%s\n' "$tarball_id" >"$SRC/.vmmlab-unpacked"
fi
mkdir -p "$KBUILD"

# -------------------------------------------------------------------- init --
# Static, no libc; rv64imac (no F/D instructions) for the default kernel,
# rv64imafdc for the --fpu one. Replaced only when it changes so the initramfs
# (and the kernel image) are not rebuilt needlessly.
INIT_CFLAGS=(-static -nostdlib -ffreestanding -march=$MARCH -mabi=lp64 -O2
             -fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables
             -Wall -Wextra -Werror -Wl,--build-id=none -s)
"${CROSS}gcc" "${INIT_CFLAGS[@]}" -o "$INIT.new.$$" "$INIT_SRC"
if cmp -s "$INIT.new.$$" "$INIT"; then
    rm -f "$INIT.new.$$"
else
    mv "$INIT.new.$$" "$INIT"
fi

# gen_init_cpio list: the template with the absolute path of the built init.
sed "s|@INIT@|$INIT|" "$HERE/initramfs.list" >"$LIST.new.$$"
if cmp -s "$LIST.new.$$" "$LIST"; then
    rm -f "$LIST.new.$$"
else
    mv "$LIST.new.$$" "$LIST"
fi

# ------------------------------------------------------------------ config --
config_id="$(cat "$HERE/config-fragment" "$HERE/build-linux.sh" | sha256sum | cut -d' ' -f1) $CACHE $FPU $DEFCONFIG"
if ((DEFCONFIG)) && [[ ! -f $KBUILD/.config || ! -f $KBUILD/.vmmlab-config-id ||
      $(cat "$KBUILD/.vmmlab-config-id") != "$config_id" ]]; then
    log "configuring: defconfig + the embedded initramfs"
    rm -f "$KBUILD/.vmmlab-config-id"
    "${KMAKE[@]}" defconfig >/dev/null
    "$SRC/scripts/config" --file "$KBUILD/.config" --set-str INITRAMFS_SOURCE "$LIST"
    "${KMAKE[@]}" olddefconfig >/dev/null
    printf '%s\n' "$config_id" >"$KBUILD/.vmmlab-config-id"
elif [[ ! -f $KBUILD/.config || ! -f $KBUILD/.vmmlab-config-id ||
      $(cat "$KBUILD/.vmmlab-config-id") != "$config_id" ]]; then
    log "configuring: tinyconfig + config-fragment"
    rm -f "$KBUILD/.vmmlab-config-id"
    "${KMAKE[@]}" tinyconfig >/dev/null
    printf 'CONFIG_INITRAMFS_SOURCE="%s"\n%s\n' "$LIST" "$FPU_LINE" >"$KBUILD/initramfs.fragment"
    # merge_config.sh -m: merge only; -O: where .config lives. Then let
    # olddefconfig resolve dependencies.
    (cd "$SRC" && ARCH=riscv CROSS_COMPILE="$CROSS" \
        scripts/kconfig/merge_config.sh -m -O "$KBUILD" \
        "$KBUILD/.config" "$HERE/config-fragment" "$KBUILD/initramfs.fragment" >"$KBUILD/merge.log")
    "${KMAKE[@]}" olddefconfig >/dev/null
    # Report fragment lines that did not survive olddefconfig (dependencies).
    while IFS= read -r line; do
        case $line in
        CONFIG_*=*) sym=${line%%=*} ;;
        "# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; line="# $sym is not set" ;;
        *) continue ;;
        esac
        got="$(grep -E "^($sym=|# $sym is not set)" "$KBUILD/.config" || true)"
        if [[ $got != "$line" && ! ( -z $got && $line == "# $sym is not set" ) ]]; then
            log "note: fragment asks '$line', .config has '${got:-<absent>}'"
        fi
    done <"$HERE/config-fragment"
    printf '%s\n' "$config_id" >"$KBUILD/.vmmlab-config-id"
fi

# Hard requirements on the result.
cfg="$KBUILD/.config"
require() {
    grep -qxF "$1" "$cfg" || die "kernel config check failed: expected '$1' in $cfg"
}
require "$FPU_LINE"
require 'CONFIG_64BIT=y'
require 'CONFIG_MMU=y'
require 'CONFIG_RISCV_SBI=y'
require 'CONFIG_RISCV_ISA_C=y'
require 'CONFIG_SMP=y'
require 'CONFIG_VIRTIO_MMIO=y'
require 'CONFIG_VIRTIO_BLK=y'
require 'CONFIG_SERIAL_8250_CONSOLE=y'
require 'CONFIG_SERIAL_OF_PLATFORM=y'
require 'CONFIG_SIFIVE_PLIC=y'
require 'CONFIG_RISCV_TIMER=y'
require 'CONFIG_BLK_DEV_INITRD=y'
require "CONFIG_INITRAMFS_SOURCE=\"$LIST\""
require 'CONFIG_BINFMT_ELF=y'
((DEFCONFIG)) || require '# CONFIG_MODULES is not set' # defconfig's modules are simply not built

# ------------------------------------------------------------------- build --
log "building Image (make -j$JOBS; incremental)"
start=$(date +%s)
"${KMAKE[@]}" -j"$JOBS" Image
log "kernel build step took $(( $(date +%s) - start )) s"

cp "$KBUILD/arch/riscv/boot/Image" "$OUTDIR/Image$SUFFIX.tmp" && mv "$OUTDIR/Image$SUFFIX.tmp" "$OUTDIR/Image$SUFFIX"
cp "$KBUILD/vmlinux" "$OUTDIR/vmlinux$SUFFIX.tmp" && mv "$OUTDIR/vmlinux$SUFFIX.tmp" "$OUTDIR/vmlinux$SUFFIX"
[[ $OUTDIR == "$CACHE" ]] || cp "$INIT" "$OUTDIR/$(basename "$INIT")"
cp "$cfg" "$OUTDIR/config$SUFFIX"

# The default kernel must not contain F/D instructions (CONFIG_FPU=n,
# rv64imac); the --fpu one saves and restores f registers, so it must.
fp_pattern=$'\tf(ld|sd|lw|sw|add|sub|mul|div|sqrt|mv|cvt|madd|msub|sgnj|min|max|eq|lt|le|class|rcsr|scsr|srm|frm|flags)[.a-z]*\t'
if "${CROSS}objdump" -d "$OUTDIR/vmlinux$SUFFIX" | grep -E "$fp_pattern" >/dev/null; then # not -q: an early exit would fail the pipe (pipefail)
    ((FPU)) || die "vmlinux contains floating-point instructions"
else
    ((!FPU)) || die "vmlinux$SUFFIX contains no floating-point instructions (CONFIG_FPU=y should save f registers)"
fi

log "done: $OUTDIR/Image$SUFFIX ($(stat -c %s "$OUTDIR/Image$SUFFIX") bytes)"
