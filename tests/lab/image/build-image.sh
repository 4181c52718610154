#!/usr/bin/env bash
# Builds the lab's guest from Debian packages only: Debian's stock kernel (with dm-thin-pool and
# the in-tree DRBD 8.4 driver as modules) and an initramfs holding busybox, kmod, lvm2,
# thin-provisioning-tools, drbd-utils and the C libraries the .NET runtime needs (the runtime
# itself and Fabric come from the host over 9p). Nothing is installed on the host.
#
#   build-image.sh OUT_DIR      -> OUT_DIR/vmlinuz, OUT_DIR/initramfs.img, OUT_DIR/stamp
#
# The image is rebuilt only when the kernel package, the package closure or this lab's guest
# files change (OUT_DIR/stamp records what it was built from).
set -euo pipefail
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
packages="lvm2 thin-provisioning-tools drbd-utils kmod busybox-static libstdc++6 libssl3 zlib1g"

kernel_pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$kernel_pkg" ] || { echo "build-image: no linux-image-amd64 dependency found (apt-get update?)" >&2; exit 1; }
kver=${kernel_pkg#linux-image-}
versions=$(apt-cache policy $kernel_pkg $packages | awk '/^[^ ]/{p=$1} /Candidate:/{print p, $2}' | tr '\n' ' ')
want="$kver | $versions | $(cat "$here/init" "$0" | sha256sum | cut -c1-16)"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$want" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.img" ]; then
    echo "build-image: cached image for kernel $kver in $out"
    exit 0
fi

work=$out/build
rm -rf "$work"
mkdir -p "$work/debs/partial"
cd "$work"

# 1. The kernel package and the whole dependency closure of the tools (an empty dpkg status makes
#    apt download everything down to libc, without installing anything).
( cd debs && apt-get download -q "$kernel_pkg" >/dev/null )
: > empty-status
apt-get -q -o Dir::State::status="$work/empty-status" -o Dir::Cache::archives="$work/debs" \
    -o Debug::NoLocking=1 install -y --download-only --no-install-recommends $packages >/dev/null

# 2. Unpack.
mkdir kernel stage
dpkg-deb -x debs/"${kernel_pkg}"_*.deb kernel
for deb in debs/*.deb; do
    case $deb in *"/${kernel_pkg}_"*) ;; *) dpkg-deb -x "$deb" stage ;; esac
done
S=$work/stage
# The staged loader runs the staged tools, whatever the host has.
ldso() { "$S/lib64/ld-linux-x86-64.so.2" --library-path "$S/lib/x86_64-linux-gnu:$S/usr/lib/x86_64-linux-gnu" "$@"; }
cp "kernel/boot/vmlinuz-$kver" "$work/vmlinuz"

# 3. The initramfs root: tools and their libraries.
R=$work/root
mkdir -p "$R"/{bin,sbin,usr/sbin,usr/bin,lib64,lib/drbd,etc/lvm,etc/drbd.d,proc,sys,dev,run,tmp,mnt,lab,root,var/lib/drbd,usr/share/dotnet}
cp "$S/bin/busybox" "$R/bin/"
tools="bin/kmod sbin/lvm sbin/dmsetup usr/sbin/pdata_tools sbin/drbdadm sbin/drbdsetup sbin/drbdmeta lib/drbd/drbdadm-84 lib/drbd/drbdsetup-84"
for tool in $tools; do
    mkdir -p "$R/$(dirname "$tool")"
    cp -a "$S/$tool" "$R/$tool"
done
libs="lib/x86_64-linux-gnu/libpthread.so.0 lib/x86_64-linux-gnu/librt.so.1 lib/x86_64-linux-gnu/libdl.so.2
      lib/x86_64-linux-gnu/libm.so.6 lib/x86_64-linux-gnu/libresolv.so.2 lib/x86_64-linux-gnu/libz.so.1
      usr/lib/x86_64-linux-gnu/libstdc++.so.6 lib/x86_64-linux-gnu/libgcc_s.so.1
      usr/lib/x86_64-linux-gnu/libssl.so.3 usr/lib/x86_64-linux-gnu/libcrypto.so.3"
{
    for tool in $tools; do ldso --list "$S/$tool" | awk '/=> \//{print $3}'; done
    for lib in $libs; do echo "$S/$lib"; done
} | sort -u | while read -r lib; do
    rel=${lib#"$S"/}
    mkdir -p "$R/$(dirname "$rel")"
    cp -L "$lib" "$R/$rel"
done
cp -L "$S/lib64/ld-linux-x86-64.so.2" "$R/lib64/"
for t in modprobe insmod rmmod lsmod modinfo depmod; do ln -sf /bin/kmod "$R/sbin/$t"; done
for t in pvcreate pvs pvremove vgcreate vgs vgchange vgremove lvcreate lvs lvchange lvremove lvextend lvresize lvrename lvdisplay vgdisplay; do
    ln -sf lvm "$R/sbin/$t"
done
for t in thin_check thin_dump thin_repair thin_restore thin_ls; do ln -sf pdata_tools "$R/usr/sbin/$t"; done

# 4. Kernel modules with their dependencies (from modules.dep), and a fresh depmod.
mods="virtio_pci virtio_blk virtio_net 9p 9pnet_virtio drbd dm-thin-pool dm-snapshot crc32c_generic"
mdir=kernel/lib/modules/$kver
"$S/lib64/ld-linux-x86-64.so.2" --library-path "$S/lib/x86_64-linux-gnu:$S/usr/lib/x86_64-linux-gnu" --argv0 depmod "$S/bin/kmod" -b "$work/kernel" "$kver"
needed=$(for m in $mods; do
    line=$(awk -F: -v want="$m" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko.*/, "", n); gsub(/_/, "-", n); w = want; gsub(/_/, "-", w); if (n == w) { print; exit } }' "$mdir/modules.dep")
    [ -n "$line" ] || { echo "build-image: kernel module $m not found in $kver" >&2; exit 1; }
    echo "$line" | tr ' :' '\n\n'
done | sed '/^$/d' | sort -u)
for f in $needed; do
    mkdir -p "$R/lib/modules/$kver/$(dirname "$f")"
    cp "$mdir/$f" "$R/lib/modules/$kver/$f"
done
cp "$mdir"/modules.builtin* "$mdir/modules.order" "$R/lib/modules/$kver/"
"$S/lib64/ld-linux-x86-64.so.2" --library-path "$S/lib/x86_64-linux-gnu:$S/usr/lib/x86_64-linux-gnu" --argv0 depmod "$S/bin/kmod" -b "$R" "$kver"

# 5. Configuration: LVM without udev, lvmetad or monitoring; drbd-utils never prompts for usage counting.
cat > "$R/etc/lvm/lvm.conf" <<'LVM'
devices { obtain_device_list_from_udev = 0 external_device_info_source = "none" scan = [ "/dev" ] }
activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }
global { use_lvmpolld = 0 event_activation = 0 thin_check_executable = "/usr/sbin/thin_check" }
backup { backup = 0 archive = 0 }
LVM
printf 'global { usage-count no; }\ninclude "/etc/drbd.d/*.res";\n' > "$R/etc/drbd.conf"
echo 'root:x:0:0:root:/root:/bin/sh' > "$R/etc/passwd"
echo 'root:x:0:' > "$R/etc/group"
printf '127.0.0.1 localhost\n' > "$R/etc/hosts"
cp "$here/init" "$R/init"
chmod +x "$R/init"

# 6. Pack with the staged busybox's cpio (the host may have none).
( cd "$R" && find . | "$R/bin/busybox" cpio -o -H newc -R 0:0 2>/dev/null | zstd -q -T0 -10 ) > "$work/initramfs.img"
mv "$work/vmlinuz" "$work/initramfs.img" "$out/"
echo "$want" > "$out/stamp"
rm -rf "$work"
echo "build-image: built $out/vmlinuz and $out/initramfs.img ($(du -h "$out/initramfs.img" | cut -f1)) for kernel $kver"
