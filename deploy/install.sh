#!/bin/sh
# Installs sensorcast on this device (run as root), or removes it.
#
#   sudo sh install.sh [--no-start] [JAR]     install or update; JAR defaults to sensorcast.jar
#                                             beside this script, else target/sensorcast.jar of
#                                             the checkout this script is in
#   sudo sh install.sh --uninstall            remove the files, keep /etc/sensorcast, the history
#                                             in /var/lib/sensorcast and the user
#   sudo sh install.sh --purge                remove the files, /etc/sensorcast, the history and the user
#
# Layout: /usr/share/sensorcast/sensorcast.jar, /usr/bin/sensorcast (the command for SSH
# sessions), /usr/lib/sensorcast/sensorcast-service (the unit's ExecStart),
# /etc/sensorcast/sensorcast.conf (never overwritten) and conf.d/,
# /lib/systemd/system/sensorcast.service; the service keeps a class-data archive in
# /var/cache/sensorcast, which uninstalling removes, and its history in /var/lib/sensorcast
# (StateDirectory=: systemd makes both at the start), which only --purge removes. Creates the system user sensorcast in the groups
# gpio, i2c and spi (creating those groups when the system lacks them), then enables and
# starts the service, or restarts it when it runs. Running it twice changes nothing more.
#
# DESTDIR=/some/tree installs into that tree instead (tests, packaging): no user, no
# systemctl; it says what it would have done.
set -eu
# Directories and files readable by the service user whatever the caller's umask.
umask 022

DESTDIR=${DESTDIR:-}
here=$(cd "$(dirname "$0")" && pwd)
action=install
start=yes
jar=

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --uninstall) action=uninstall ;;
    --purge) action=purge ;;
    --no-start) start=no ;;
    -h|--help) usage ;;
    -*) echo "install.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$jar" ] || usage; jar=$1 ;;
  esac
  shift
done

say() { echo "sensorcast: $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }

if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  die "run as root (sudo sh $0), or set DESTDIR to install into a tree"
fi

# The first of the candidates that exists: flat (deploy.sh copies everything into one
# directory) or in the checkout (deploy/, systemd/, target/).
pick() {
  for f in "$@"; do
    if [ -f "$f" ]; then echo "$f"; return 0; fi
  done
  return 1
}

jar_dst=$DESTDIR/usr/share/sensorcast/sensorcast.jar
bin_dst=$DESTDIR/usr/bin/sensorcast
service_dst=$DESTDIR/usr/lib/sensorcast/sensorcast-service
cache_dir=$DESTDIR/var/cache/sensorcast
state_dir=$DESTDIR/var/lib/sensorcast
conf_dir=$DESTDIR/etc/sensorcast
conf_dst=$conf_dir/sensorcast.conf
unit_dst=$DESTDIR/lib/systemd/system/sensorcast.service
groups="gpio i2c spi"

have_systemd() {
  if [ -n "$DESTDIR" ]; then
    say "DESTDIR is set: not running systemctl $*"
    return 1
  fi
  if ! command -v systemctl >/dev/null 2>&1; then
    say "no systemctl on this machine: not running systemctl $*"
    return 1
  fi
  return 0
}

# Copies with the mode, via a temporary name and a rename, so that a running JVM keeps
# reading the jar it opened and nobody sees half a file.
put() {
  mode=$1 src=$2 dst=$3
  mkdir -p "$(dirname "$dst")"
  if [ -f "$dst" ] && cmp -s "$src" "$dst"; then
    chmod "$mode" "$dst"
    say "unchanged $dst"
    return 0
  fi
  cp "$src" "$dst.new.$$"
  chmod "$mode" "$dst.new.$$"
  if [ "$(id -u)" -eq 0 ]; then chown root:root "$dst.new.$$"; fi
  mv -f "$dst.new.$$" "$dst"
  say "installed $dst"
}

remove() {
  for f in "$@"; do
    if [ -e "$f" ] || [ -L "$f" ]; then
      rm -f "$f"
      say "removed $f"
    fi
  done
}

do_install() {
  if [ -z "$jar" ]; then
    jar=$(pick "$here/sensorcast.jar" "$here/../target/sensorcast.jar") \
      || die "no jar: build it (mvn -B package) or name it: sh $0 path/to/sensorcast.jar"
  fi
  [ -f "$jar" ] || die "no such jar: $jar"
  wrapper=$(pick "$here/sensorcast") || die "missing the sensorcast command beside $0"
  service=$(pick "$here/sensorcast-service") || die "missing sensorcast-service beside $0"
  conf=$(pick "$here/sensorcast.conf") || die "missing sensorcast.conf beside $0"
  unit=$(pick "$here/sensorcast.service" "$here/../systemd/sensorcast.service") \
    || die "missing sensorcast.service beside $0 or in ../systemd/"

  if [ -z "$DESTDIR" ]; then
    for g in $groups; do
      if ! getent group "$g" >/dev/null; then
        groupadd --system "$g"
        say "created group $g"
      fi
    done
    if ! getent passwd sensorcast >/dev/null; then
      if getent group sensorcast >/dev/null; then gopt="-g sensorcast"; else gopt="--user-group"; fi
      # shellcheck disable=SC2086 # gopt is two words or one on purpose
      useradd --system $gopt --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin --comment "sensorcast service" sensorcast
      say "created system user sensorcast"
    fi
    usermod -a -G gpio,i2c,spi sensorcast
    say "user sensorcast is in the groups gpio, i2c, spi"
  else
    say "DESTDIR is set: would create the system user sensorcast and groups $groups, and add the user to them"
  fi

  old_unit=$(cat "$unit_dst" 2>/dev/null || true)
  put 0644 "$jar" "$jar_dst"
  put 0755 "$wrapper" "$bin_dst"
  put 0755 "$service" "$service_dst"
  put 0644 "$unit" "$unit_dst"
  mkdir -p "$conf_dir/conf.d"
  chmod 0755 "$conf_dir" "$conf_dir/conf.d" "$DESTDIR/usr/share/sensorcast"
  if [ -e "$conf_dst" ]; then
    say "kept $conf_dst (yours; the default is $conf)"
  else
    put 0644 "$conf" "$conf_dst"
  fi

  if have_systemd daemon-reload, enable, start; then
    if [ "$old_unit" != "$(cat "$unit_dst")" ] || ! systemctl is-enabled --quiet sensorcast 2>/dev/null; then
      systemctl daemon-reload
    fi
    systemctl enable sensorcast
    if [ "$start" = no ]; then
      say "--no-start: not starting or restarting the service"
    elif systemctl is-active --quiet sensorcast; then
      systemctl restart sensorcast
      say "restarted sensorcast"
    else
      systemctl start sensorcast
      say "started sensorcast"
    fi
  fi
}

do_uninstall() {
  if have_systemd disable --now; then
    systemctl disable --now sensorcast 2>/dev/null || true
  fi
  remove "$unit_dst" "$bin_dst" "$service_dst" "$jar_dst"
  rmdir "$DESTDIR/usr/share/sensorcast" "$DESTDIR/usr/lib/sensorcast" 2>/dev/null || true
  # The class-data archive: made on this device from the jar just removed, useless without it.
  if [ -d "$cache_dir" ]; then
    rm -rf "$cache_dir"
    say "removed $cache_dir"
  fi
  if have_systemd daemon-reload; then systemctl daemon-reload; fi
  if [ "$action" = purge ]; then
    if [ -d "$conf_dir" ]; then
      rm -rf "$conf_dir"
      say "removed $conf_dir"
    fi
    if [ -d "$state_dir" ]; then
      rm -rf "$state_dir"
      say "removed $state_dir (the history)"
    fi
    if [ -z "$DESTDIR" ]; then
      if getent passwd sensorcast >/dev/null; then
        userdel sensorcast
        say "removed user sensorcast"
      fi
      if getent group sensorcast >/dev/null; then groupdel sensorcast; fi
    else
      say "DESTDIR is set: would remove the user sensorcast (the groups $groups stay)"
    fi
  else
    for kept in "$conf_dir" "$state_dir"; do
      if [ -d "$kept" ]; then say "kept $kept (--purge removes it)"; fi
    done
  fi
}

case $action in
  install) do_install ;;
  uninstall|purge) do_uninstall ;;
esac
