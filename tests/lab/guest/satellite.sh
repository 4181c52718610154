#!/bin/sh
# Runs in a lab guest (PID 1's lab.run): prepares the host's storage as an administrator would
# (an LVM volume group "fabric" with a thin pool "thin" on the virtio disk, kept across boots),
# opens the lab's command shell on port 9000, then runs the Fabric satellite in the foreground.
# Kernel command line: lab.seed=HOST:PORT lab.port=AKKA_PORT lab.node=NODE_NAME [lab.loglevel=LEVEL]
set -u
for kv in $(cat /proc/cmdline); do
    case $kv in lab.*=*) k=${kv%%=*}; k=${k#lab.}; eval "LAB_$k=\"${kv#*=}\"" ;; esac
done
t() { echo "[$(hostname) $(cut -d' ' -f1 /proc/uptime)s] $*"; }
modprobe drbd && modprobe dm-thin-pool || { t "LAB-SATELLITE-FAILED: modules"; exit 1; }
if ! vgs fabric >/dev/null 2>&1; then
    pvcreate -q /dev/vda && vgcreate -q fabric /dev/vda && lvcreate -q -y --type thin-pool -L 3G -n thin fabric \
        || { t "LAB-SATELLITE-FAILED: LVM setup"; exit 1; }
    t "created volume group fabric with thin pool thin"
else
    vgchange -q -ay fabric >/dev/null && t "activated the existing volume group fabric: $(lvs --noheadings -o lv_name fabric | tr -s ' \n' ' ')"
fi
mkdir -p /run/fabric
# Measured under TCG (a combined process, boot to the agent's first sync): 143 s as is, 124 s with
# W^X off (every remapping of JIT-written code costs TCG a TLB flush), 116 s with AVX off as well
# (TCG emulates AVX with helpers); TieredCompilation=0 made it slower (166 s).
export HOME=/root DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_TieredPGO=0 \
    DOTNET_EnableWriteXorExecute=0 DOTNET_EnableAVX=0
# The lab's command shell inherits these, so its Fabric.Host drbd runs start as the satellite does.
nc -ll -p 9000 -e /bin/sh &
# Like systemd's Restart=always: a satellite the cluster downed exits (code 3) and starts again.
while true; do
t "LAB-SATELLITE-STARTING node ${LAB_node} seed ${LAB_seed}"
dotnet /lab/fabric/Fabric.Host.dll --roles satellite --node-name "$LAB_node" --seed-nodes "$LAB_seed" \
    --cluster-host 0.0.0.0 --cluster-public-host 10.0.2.2 --cluster-port "$LAB_port" --node-address "${LAB_ip%/*}" \
    --bind-address 0.0.0.0 --management-port 8558 --data-dir /run/fabric --log-level "${LAB_loglevel:-Information}" \
    --akka-conf /lab/lab-akka.conf --join-timeout 90 --node-heartbeat-interval 2 --node-status-timeout 30
t "LAB-SATELLITE-EXITED rc=$?"
sleep 2
done
