#!/usr/bin/env bash
# Fabric's real-kernel lab. Builds (or reuses) the guest image from Debian packages, publishes
# Fabric.Host into the guests' 9p share, then runs the scenarios (tests/lab/Fabric.Lab): one line
# per scenario and a summary on stdout; exit code 0 only when every scenario passed.
#
#   tests/lab/run.sh [--only lvm-thin,drbd-replication,...]
#
# Needs root, qemu-system-x86 and qemu-utils (.ci/run installs them), apt access to Debian's
# repositories for the image. Hardware KVM is used when the host has it, else TCG.
# FABRIC_LAB_CACHE (default /var/cache/fabric-lab) keeps the image between runs;
# FABRIC_LAB_WORK (default a new /tmp/fabric-lab.*) receives disks and logs.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
for tool in qemu-system-x86_64 qemu-img zstd dpkg-deb apt-get dotnet; do
    command -v "$tool" >/dev/null 2>&1 || { echo "lab: ERROR: '$tool' is missing (apt-get install qemu-system-x86 qemu-utils zstd)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "lab: ERROR: run as root (qemu's 9p shares and the guests' tools need it)" >&2; exit 1; }
cache=${FABRIC_LAB_CACHE:-/var/cache/fabric-lab}
work=${FABRIC_LAB_WORK:-$(mktemp -d /tmp/fabric-lab.XXXXXX)}
mkdir -p "$cache" "$work/share"
stamp() { date +%s%N; }
took() { awk -v a="$1" -v b="$(stamp)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

t=$(stamp)
tests/lab/image/build-image.sh "$cache/image" >&2
echo "lab: guest image ready in $(took "$t") s"

t=$(stamp)
cp tests/lab/guest/* "$work/share/"
# ReadyToRun: code compiled ahead of time, so the guests (TCG: every JIT-compiled method costs tens
# of times what it costs here) start their satellites without compiling most of Fabric and Akka.
dotnet publish src/Fabric.Host -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$work/share/fabric" -v quiet -nologo >&2
dotnet build tests/lab/Fabric.Lab -c Release -v quiet -nologo >&2
echo "lab: Fabric published in $(took "$t") s"

# Everything runs in a network namespace of its own: only its loopback, which also carries
# 10.0.2.2 (the address qemu's user-mode network gives the host), so every member of the cluster
# (controller here, satellites in guests) can be reached under one address, 10.0.2.2:port.
netns=fabric-lab-$$
ip netns add "$netns"
trap 'ip netns del "$netns" 2>/dev/null || true' EXIT
ip -n "$netns" link set lo up
ip -n "$netns" addr add 10.0.2.2/32 dev lo
ip -n "$netns" route add 224.0.0.0/4 dev lo
set +e
ip netns exec "$netns" dotnet tests/lab/Fabric.Lab/bin/Release/net10.0/Fabric.Lab.dll --image "$cache/image" --share "$work/share" --work "$work" "$@"
status=$?
set -e
# The guests' consoles are the first place to look when a scenario failed.
if [ $status -ne 0 ]; then
    for log in "$work"/*.log; do echo "---- $log (last 40 lines)" >&2; tail -40 "$log" >&2; done
fi
exit $status
