#!/bin/sh
# DebInstallIT's mmdebstrap customize hook: in the fresh Debian root $1 (as a new user would,
# through apt in a chroot) it installs the package, installs it again (an upgrade to the same
# version: prerm upgrade, then postinst configure with the old version), removes and purges it;
# between install and reinstall, the history a running service keeps in its state directory.
#
# Each step writes what apt and the maintainer scripts printed to $OUT/STEP.log, apt's exit code to
# $OUT/STEP.exit and what the system looks like after it to $OUT/STEP.state; the test judges them.
# Environment: DEB (the package to install), OUT (a directory of the host), UNIT_GROUPS (the unit's
# SupplementaryGroups).
set -eu

root=$1
cp "$DEB" "$root/tmp/sensorcast.deb"
chmod 0644 "$root/tmp/sensorcast.deb"

# What the system looks like: a line per fact, for the test to read.
state() {
  # shellcheck disable=SC2016 # expanded in the chroot, not here
  chroot "$root" sh -c '
    for g in $UNIT_GROUPS sensorcast; do
      if getent group "$g" >/dev/null; then echo "group $(getent group "$g")"; else echo "no-group $g"; fi
    done
    if getent passwd sensorcast >/dev/null; then
      echo "user $(getent passwd sensorcast)"
      echo "user-groups $(id -nG sensorcast)"
    else
      echo "no-user sensorcast"
    fi
    for f in /etc/sensorcast /etc/sensorcast/conf.d/local.conf /var/cache/sensorcast \
        /var/lib/sensorcast /var/lib/sensorcast/history/test-minutes; do
      if [ -e "$f" ]; then echo "exists $f"; else echo "absent $f"; fi
    done' > "$OUT/$1.state" 2>&1
}

step() {
  name=$1
  shift
  code=0
  chroot "$root" env DEBIAN_FRONTEND=noninteractive "$@" > "$OUT/$name.log" 2>&1 || code=$?
  echo "$code" > "$OUT/$name.exit"
  state "$name"
}

step install apt-get install -y /tmp/sensorcast.deb
# What the running service keeps in its StateDirectory= (systemd makes it; no systemd runs here).
mkdir -p "$root/var/lib/sensorcast/history"
echo "minutes of history" > "$root/var/lib/sensorcast/history/test-minutes"
chroot "$root" chown -R sensorcast:sensorcast /var/lib/sensorcast
step reinstall apt-get install -y --reinstall /tmp/sensorcast.deb
# What an admin and the running service leave behind: a drop-in and the class-data archive.
echo "# the admin's" > "$root/etc/sensorcast/conf.d/local.conf"
mkdir -p "$root/var/cache/sensorcast"
echo "classes of the installed jar" > "$root/var/cache/sensorcast/sensorcast.jsa"
chroot "$root" chown -R sensorcast:sensorcast /var/cache/sensorcast || true
step remove apt-get remove -y sensorcast
step purge apt-get purge -y sensorcast
