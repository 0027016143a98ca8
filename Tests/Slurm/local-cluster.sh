#!/usr/bin/env bash
# A single-node Slurm cluster on loopback for the Slurm tests, and its safe stop.
#
#   local-cluster.sh start DIR   config, munged, slurmctld and slurmd under DIR; prints
#                                "export SLURM_CONF=DIR/slurm.conf" once the node is idle
#   local-cluster.sh stop DIR    waits for the queue to drain, then stops slurmd,
#                                slurmctld and munged in that order (SIGKILL only after 10 s)
#
# Needs root (the daemons run as root, munged as munge) and the Debian packages slurm-wlm
# and munge. No systemd and no cgroups: process tracking by /proc, no accounting.
set -euo pipefail

command=${1:-}
D=${2:-}
if [ -z "$command" ] || [ -z "$D" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 64
fi
export SLURM_CONF="$D/slurm.conf"

wait_for() { # seconds, description, test…
    local seconds=$1 what=$2
    shift 2
    for _ in $(seq $((seconds * 10))); do
        if "$@" > /dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "local-cluster: $what did not happen within $seconds s" >&2
    return 1
}

stop_pid() { # pid file
    local file=$1
    [ -f "$file" ] || return 0
    local pid
    pid=$(cat "$file")
    kill -TERM "$pid" 2> /dev/null || { rm -f "$file"; return 0; }
    for _ in $(seq 100); do
        kill -0 "$pid" 2> /dev/null || { rm -f "$file"; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
    rm -f "$file"
}

case "$command" in
start)
    mkdir -p "$D/state" "$D/spool" "$D/log"
    # The node's layout as slurmd sees it, renamed to the loopback node.
    layout=$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]*//' -e 's/ UpTime=.*//')
    cat > "$SLURM_CONF" << EOF
ClusterName=emergent-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1$layout State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    if [ ! -S /run/munge/munge.socket.2 ] || ! munge -n | unmunge > /dev/null 2>&1; then
        chown munge:munge /etc/munge/munge.key
        chmod 0400 /etc/munge/munge.key
        mkdir -p /run/munge
        chown munge:munge /run/munge
        setsid setpriv --reuid=munge --regid=munge --init-groups -- /usr/sbin/munged -F \
            > "$D/log/munged.out" 2>&1 < /dev/null &
        echo $! > "$D/munged.pid"
        wait_for 10 "munged's socket" test -S /run/munge/munge.socket.2
        wait_for 10 "a munge round trip" sh -c 'munge -n | unmunge'
    fi
    setsid /usr/sbin/slurmctld -D -i > "$D/log/slurmctld.out" 2>&1 < /dev/null &
    setsid /usr/sbin/slurmd -D -N localhost > "$D/log/slurmd.out" 2>&1 < /dev/null &
    wait_for 30 "the node to become idle" sh -c 'sinfo -h -N -o %t | grep -qx idle'
    echo "export SLURM_CONF=$SLURM_CONF"
    ;;
stop)
    [ -f "$SLURM_CONF" ] || exit 0
    # Jobs first, then the step sockets: stopping slurmd while a step finishes hangs it.
    scancel --full --quiet --user="$(id -un)" 2> /dev/null || true
    wait_for 60 "the queue to drain" sh -c '[ -z "$(squeue -h 2> /dev/null)" ]' || true
    wait_for 30 "the step sockets to go" sh -c '! ls "$0"/spool/localhost_* > /dev/null 2>&1' "$D" || true
    stop_pid "$D/slurmd.pid"
    stop_pid "$D/slurmctld.pid"
    stop_pid "$D/munged.pid"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 64
    ;;
esac
