#!/usr/bin/env bash
# A local Redis Cluster for tests and the chaos run: 3 masters and 3 replicas on loopback ports
# BASE..BASE+5 (default 7100), started with the redis-server on this machine and joined with
# `redis-cli --cluster create`. Nothing is kept on disk beyond the run's folder.
#   scripts/cluster/redis-cluster.sh start [BASE]   # prints REDIS_CLUSTER_NODES=… when the cluster is ok
#   scripts/cluster/redis-cluster.sh stop [BASE]
#   scripts/cluster/redis-cluster.sh kill-master [BASE]   # SIGKILLs one master (its replica takes over)
#   scripts/cluster/redis-cluster.sh healthy [BASE [KILLED_PORT]]   # exit 0 when the live nodes say cluster_state:ok (and agree the killed one failed)
#   scripts/cluster/redis-cluster.sh restart-node BASE PORT   # a killed node comes back (as a replica)
set -euo pipefail
cmd=${1:-start}
base=${2:-${REDIS_CLUSTER_BASE:-7100}}
dir=${REDIS_CLUSTER_DIR:-/tmp/xgw-redis-cluster-$base}
ports=$(seq "$base" $((base + 5)))
nodes=$(for p in $ports; do printf '127.0.0.1:%s,' "$p"; done | sed 's/,$//')
# REDIS_CLUSTER_AOF=yes: AOF with fsync every second, as production runs (the chaos run).
persist=(--appendonly no --save '')
[ "${REDIS_CLUSTER_AOF:-no}" = yes ] && persist=(--appendonly yes --appendfsync everysec --save '')
start_node() {
  mkdir -p "$dir/$1"
  # noeviction: BullMQ loses jobs under any other policy.
  redis-server --port "$1" --bind 127.0.0.1 --cluster-enabled yes \
    --cluster-config-file "$dir/$1/nodes.conf" --cluster-node-timeout 2000 \
    --dir "$dir/$1" "${persist[@]}" --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$dir/$1/redis.pid" --logfile "$dir/$1/redis.log"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    for p in $ports; do
      if redis-cli -p "$p" ping >/dev/null 2>&1; then continue; fi
      start_node "$p"
    done
    for p in $ports; do
      for _ in $(seq 1 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
    done
    if ! redis-cli -p "$base" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
      # shellcheck disable=SC2046
      redis-cli --cluster create $(for p in $ports; do printf '127.0.0.1:%s ' "$p"; done) \
        --cluster-replicas 1 --cluster-yes >"$dir/create.log"
    fi
    for _ in $(seq 1 100); do
      ok=1
      for p in $ports; do redis-cli -p "$p" cluster info | grep -q 'cluster_state:ok' || ok=0; done
      [ "$ok" = 1 ] && break
      sleep 0.1
    done
    [ "$ok" = 1 ] || { echo "the cluster did not come up; see $dir" >&2; exit 1; }
    echo "REDIS_CLUSTER_NODES=$nodes"
    ;;
  stop)
    for p in $ports; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
    rm -rf "$dir"
    ;;
  kill-master)
    for p in $ports; do
      if redis-cli -p "$p" role 2>/dev/null | head -1 | grep -q master; then
        kill -9 "$(cat "$dir/$p/redis.pid")"
        echo "killed master 127.0.0.1:$p"
        exit 0
      fi
    done
    echo "no master found" >&2
    exit 1
    ;;
  restart-node)
    start_node "${3:?port}"
    ;;
  healthy)
    # Every node that answers says cluster_state:ok; with a killed node's PORT, the others also
    # agree that it failed (so its replica has taken over its slots), not merely suspect it.
    killed=${3:-}
    for p in $ports; do
      [ "$p" = "$killed" ] && continue
      info=$(redis-cli -p "$p" cluster info 2>/dev/null) || continue
      echo "$info" | grep -q 'cluster_state:ok' || exit 1
      if [ -n "$killed" ]; then
        redis-cli -p "$p" cluster nodes | grep " 127.0.0.1:$killed@" | grep -qE 'master,fail |slave,fail |,fail ' || exit 1
      fi
    done
    ;;
  *)
    echo "usage: $0 start|stop|kill-master|healthy [BASE] | restart-node BASE PORT" >&2
    exit 2
    ;;
esac
