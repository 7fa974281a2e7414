#!/bin/sh
# Puts this checkout's sensorcast on a device over SSH (run on a workstation).
#
#   deploy/deploy.sh [-p PORT] [--no-build] [user@]host
#
# Builds the jar (mvn -B -q package -DskipTests; --no-build uses target/sensorcast.jar as it
# is), copies it with install.sh, the sensorcast command, the unit and the default config to a
# temporary directory on the host, runs install.sh there (through sudo unless the SSH user is
# root), then restarts the service when the jar or the unit changed, or reloads it when they
# did not (a reload re-reads the configuration without dropping monitors), and shows
# `systemctl status sensorcast` and the dashboard's address.
#
#   -p PORT       SSH port of the host
#   --no-build    do not run Maven
#
# Environment: SSH_OPTS (extra options for ssh and scp, e.g. "-i key"), SENSORCAST_JAR (the
# jar to copy instead of target/sensorcast.jar), SENSORCAST_DESTDIR (install into that tree
# on the host instead of /: the service commands still run, for tests with a fake systemctl).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ssh_port=
build=yes
target=

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    -p) [ $# -ge 2 ] || usage; ssh_port=$2; shift ;;
    --no-build) build=no ;;
    -h|--help) usage ;;
    -*) echo "deploy.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$target" ] || usage; target=$1 ;;
  esac
  shift
done
[ -n "$target" ] || usage

host=${target#*@}
jar=${SENSORCAST_JAR:-$repo/target/sensorcast.jar}
destdir=${SENSORCAST_DESTDIR:-}

# shellcheck disable=SC2086 # SSH_OPTS is a list of words
set -- ${SSH_OPTS:-}
ssh_args="$*"
if [ -n "$ssh_port" ]; then ssh_args="$ssh_args -p $ssh_port"; scp_port="-P $ssh_port"; else scp_port=; fi

# shellcheck disable=SC2086,SC2029 # word lists on purpose; the command is built here
run_ssh() { ssh $ssh_args "$@"; }
# shellcheck disable=SC2086
run_scp() { scp -q $scp_port ${SSH_OPTS:-} "$@"; }

# Single-quotes a value for the remote shell.
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

if [ "$build" = yes ]; then
  echo "deploy: building (mvn -B -q package -DskipTests)"
  (cd "$repo" && mvn -B -q package -DskipTests)
fi
[ -f "$jar" ] || { echo "deploy.sh: no jar at $jar (build it, or drop --no-build)" >&2; exit 1; }

tmp=$(run_ssh "$target" 'mktemp -d /tmp/sensorcast-deploy.XXXXXX')
case $tmp in /tmp/sensorcast-deploy.*) ;; *) echo "deploy.sh: mktemp on $host said: $tmp" >&2; exit 1 ;; esac
echo "deploy: copying to $target:$tmp"
run_scp "$jar" "$here/install.sh" "$here/sensorcast" "$here/sensorcast-service" "$here/sensorcast.conf" \
  "$repo/systemd/sensorcast.service" "$target:$tmp/"

# What runs on the host. $1: the temporary directory, $2: DESTDIR (may be empty).
remote=$(cat <<'EOF'
set -eu
tmp=$1 destdir=$2
trap 'rm -rf "$tmp"' EXIT
if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
fingerprint() {
  cat "$destdir/usr/share/sensorcast/sensorcast.jar" "$destdir/lib/systemd/system/sensorcast.service" \
    2>/dev/null | cksum
}
before=$(fingerprint)
$sudo env DESTDIR="$destdir" sh "$tmp/install.sh" --no-start "$tmp/sensorcast.jar"
after=$(fingerprint)
if command -v systemctl >/dev/null 2>&1; then
  if ! systemctl is-active --quiet sensorcast; then
    echo "deploy: starting sensorcast"
    $sudo systemctl start sensorcast
  elif [ "$before" != "$after" ]; then
    echo "deploy: the jar or the unit changed: restarting sensorcast"
    $sudo systemctl restart sensorcast
  else
    echo "deploy: same jar and unit: reloading sensorcast (re-reads the configuration)"
    $sudo systemctl reload sensorcast
  fi
  sleep 1
  systemctl status sensorcast --no-pager || true
else
  echo "deploy: no systemctl on this host: installed, not started"
fi
# The port the dashboard listens on: the last http.port of the config files, else 8080.
port=$(cat "$destdir/etc/sensorcast/sensorcast.conf" "$destdir"/etc/sensorcast/conf.d/*.conf 2>/dev/null | awk '
  /^[ \t]*[#;]/ { next }
  /^[ \t]*\[/ { s = $0; sub(/^[ \t]*\[[ \t]*/, "", s); sub(/[ \t]*\].*$/, "", s); prefix = (s == "" ? "" : s "."); next }
  /=/ { k = $0; sub(/=.*/, "", k); gsub(/[ \t]/, "", k); v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+[#;].*$/, "", v); gsub(/["\t ]/, "", v)
        if (prefix k == "http.port" && v ~ /^[0-9]+$/) port = v }
  END { print (port == "" ? 8080 : port) }')
echo "sensorcast-port: $port"
EOF
)

tty=
if [ -t 0 ]; then tty=-t; fi # so that sudo can ask for a password
out=$(mktemp)
trap 'rm -f "$out" "$out.rc"' EXIT
# shellcheck disable=SC2086
{ rc=0; run_ssh $tty "$target" "sh -c $(quote "$remote") sh $(quote "$tmp") $(quote "$destdir")" || rc=$?
  echo "$rc" > "$out.rc"; } | tee "$out"
rc=$(cat "$out.rc")
if [ "$rc" -ne 0 ]; then echo "deploy.sh: the install on $host failed (exit $rc)" >&2; exit "$rc"; fi
port=$(sed -n 's/^sensorcast-port: \([0-9]*\).*/\1/p' "$out" | tail -n 1)
echo "deploy: dashboard at http://$host:${port:-8080}/"
