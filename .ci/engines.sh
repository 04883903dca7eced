#!/usr/bin/env bash
# Extra Docker Engines for the several-engines tests: each in its own network namespace with its own
# address, reachable over tcp, with a Docker context named after it (the recipe verified in DESIGN.md,
# "Several engines"). Idempotent: an engine that answers is left alone.
#   .ci/engines.sh start [N]   start berth-e1..berth-eN (default 2): 10.231.<i>.2:2375, context berth-e<i>
#   .ci/engines.sh stop        stop them, remove the namespaces and contexts (data roots are kept)
# Needs root, iproute2, nsenter, iptables, dockerd, and the test image in the default engine.
set -euo pipefail
IMAGE=berth-test/busybox:latest

start_one() {
	local i="$1" name="berth-e$1" ns="bh$1" host="10.231.$1.1" addr="10.231.$1.2"
	if docker --host "tcp://$addr:2375" info >/dev/null 2>&1; then
		echo "engine $name already answers on tcp://$addr:2375"
	else
		ip netns list | grep -qw "$ns" || ip netns add "$ns"
		if ! ip link show "$ns-h" >/dev/null 2>&1; then
			ip link add "$ns-h" type veth peer name "$ns-c"
			ip link set "$ns-c" netns "$ns"
			ip addr add "$host/24" dev "$ns-h"
			ip link set "$ns-h" up
			ip netns exec "$ns" ip addr add "$addr/24" dev "$ns-c"
			ip netns exec "$ns" ip link set "$ns-c" up
			ip netns exec "$ns" ip link set lo up
			ip netns exec "$ns" ip route add default via "$host"
		fi
		mkdir -p "/var/lib/docker-$ns" "/run/docker-$ns"
		# nsenter, not `ip netns exec`: the latter remounts /sys and dockerd then finds no devices cgroup.
		nsenter --net="/var/run/netns/$ns" setsid dockerd --data-root "/var/lib/docker-$ns" \
			--exec-root "/run/docker-$ns" --pidfile "/run/docker-$ns/dockerd.pid" \
			-H "unix:///run/docker-$ns/docker.sock" -H "tcp://$addr:2375" >"/tmp/dockerd-$ns.log" 2>&1 </dev/null &
		for _ in $(seq 1 60); do
			docker --host "tcp://$addr:2375" info >/dev/null 2>&1 && break
			sleep 1
		done
		docker --host "tcp://$addr:2375" info >/dev/null 2>&1 || { tail -30 "/tmp/dockerd-$ns.log" >&2; echo "engine $name did not start" >&2; return 1; }
	fi
	docker context inspect "$name" >/dev/null 2>&1 || docker context create "$name" --docker "host=tcp://$addr:2375" >/dev/null
	docker --context "$name" image inspect "$IMAGE" >/dev/null 2>&1 || docker save "$IMAGE" | docker --context "$name" load >/dev/null
	echo "engine $name: tcp://$addr:2375 (context $name)"
}

stop_one() {
	local i="$1" name="berth-e$1" ns="bh$1"
	if [ -f "/run/docker-$ns/dockerd.pid" ]; then
		kill "$(cat "/run/docker-$ns/dockerd.pid")" 2>/dev/null || true
		for _ in $(seq 1 20); do [ -f "/run/docker-$ns/dockerd.pid" ] || break; sleep 0.5; done
	fi
	docker context rm -f "$name" >/dev/null 2>&1 || true
	ip link del "$ns-h" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
}

case "${1:-start}" in
start)
	count="${2:-2}"
	sysctl -qw net.ipv4.ip_forward=1
	# Docker sets FORWARD to DROP: let the engines (and their containers) reach each other.
	iptables -C FORWARD -s 10.231.0.0/16 -d 10.231.0.0/16 -j ACCEPT 2>/dev/null || iptables -I FORWARD -s 10.231.0.0/16 -d 10.231.0.0/16 -j ACCEPT
	for i in $(seq 1 "$count"); do start_one "$i"; done
	;;
stop)
	for ns in $(ip netns list | awk '$1 ~ /^bh[0-9]+$/ {print $1}'); do stop_one "${ns#bh}"; done
	;;
*)
	echo "usage: $0 start [N] | stop" >&2
	exit 2
	;;
esac
