#!/usr/bin/env bash
# The Debian package as an administrator gets it: CPack builds it from this build tree's cxos
# (no second compile), dpkg-deb shows its files, control fields and maintainer scripts, and dpkg
# installs, reinstalls and purges it in a scratch root (--root, scripts run chrootless with
# DPKG_ROOT), where the installed cxos runs and systemd-analyze checks the unit.
# usage: deb_test.sh BUILD_DIR VERSION. Needs root (dpkg and useradd set owners); exit 77 = skipped.
set -uo pipefail
build=$1
version=$2

if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: installing into a scratch root needs root (CI runs as root)"
  exit 77
fi

work=$(mktemp -d /tmp/cxos-deb-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
passed=0
failed=0

check() { # check DESCRIPTION COMMAND...: runs the command, counts and names the outcome
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $what"
  fi
}
contains() { grep -qF -- "$2" <<<"$1"; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }
same() { [ "$1" = "$2" ] || { echo "  expected: $2"; echo "  got:      $1"; return 1; }; }
mode_of() { stat -c '%a %u:%g' "$root$1"; }

# --- the package --------------------------------------------------------------------------------
if ! cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "0 passed, 1 failed"
  exit 1
fi
deb=$(ls "$work"/out/*.deb)
arch=$(dpkg --print-architecture)
check "the file is named cxos_<version>-1_<arch>.deb" same "$(basename "$deb")" "cxos_${version}-1_${arch}.deb"

files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $1, $2, $6 }' | sort -k3)
expected="-rw-r----- root/root ./etc/cxos/cxos.env
-rw-r--r-- root/root ./etc/cxos/cxos.yaml
-rw-r--r-- root/root ./lib/systemd/system/cxos.service
-rwxr-xr-x root/root ./usr/bin/cxos
-rw-r--r-- root/root ./usr/share/cxos/manifests/slack-app-socket.yaml
-rw-r--r-- root/root ./usr/share/cxos/manifests/slack-app.yaml
-rw-r--r-- root/root ./usr/share/cxos/manifests/teams/color.png
-rw-r--r-- root/root ./usr/share/cxos/manifests/teams/manifest.json
-rw-r--r-- root/root ./usr/share/cxos/manifests/teams/outline.png
-rw-r--r-- root/root ./usr/share/doc/cxos/README.md
-rw-r--r-- root/root ./usr/share/doc/cxos/cxos.example.yaml"
check "the package holds exactly the installed files, with their modes" same "$files" "$expected"
stripped() { dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/cxos | file - | grep -q ', stripped'; }
check "the packaged binary is stripped" stripped

check "Package: cxos" same "$(dpkg-deb -f "$deb" Package)" cxos
check "Version: the project's, release 1" same "$(dpkg-deb -f "$deb" Version)" "${version}-1"
check "Architecture: this machine's" same "$(dpkg-deb -f "$deb" Architecture)" "$arch"
depends=$(dpkg-deb -f "$deb" Depends)
for dependency in libssl3 libsqlite3-0 libyaml-cpp0.7 libboost-url1.81.0 libstdc++6 ca-certificates tzdata passwd; do
  check "Depends names $dependency" contains "$depends" "$dependency"
done

dpkg-deb -e "$deb" "$work/control"
check "conffiles: the config and the secrets" same "$(cat "$work/control/conffiles")" "/etc/cxos/cxos.yaml
/etc/cxos/cxos.env"
for script in postinst prerm postrm; do
  check "$script is executable" test -x "$work/control/$script"
  check "$script is valid sh" sh -n "$work/control/$script"
done

# --- a scratch root: dpkg's database, the accounts files, and from this machine the packages
# cxos depends on (only their status: dpkg checks Depends against real Debian 12 versions), the
# systemd units and /bin/kill, so systemd-analyze verifies the unit as on a Debian 12 system.
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc" "$root/bin" "$root/lib/systemd/system"
touch "$root/var/lib/dpkg/available"
# shellcheck disable=SC2046 # one word per package name
dpkg-query -s $(sed 's/([^)]*)//g; s/,/ /g' <<<"$depends") >"$root/var/lib/dpkg/status" 2>"$work/missing" ||
  { echo "FAIL: this machine lacks packages the .deb depends on:"; cat "$work/missing"; failed=$((failed + 1)); }
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
printf 'root:*::\n' >"$root/etc/gshadow"
cp /bin/kill "$root/bin/kill"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/" 2>/dev/null || true

dpkg_in_root() {
  dpkg --root="$root" --force-not-root --force-script-chrootless --force-confdef --force-confold \
    --log=/dev/null "$@" 2>&1
}

installed=$(dpkg_in_root -i "$deb")
status=$?
check "dpkg installs it with its Depends met (exit $status)" same "$status" 0
check "without systemd and secrets the postinst says how to start it" contains "$installed" "systemctl enable --now cxos"

uid=$(awk -F: '$1 == "cxos" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "cxos" { print $3 }' "$root/etc/group")
check "the postinst made a system user and group cxos" test -n "$uid" -a -n "$gid"
check "cxos is a system account (uid < 1000)" test "${uid:-1000}" -lt 1000
check "cxos cannot log in and lives in its state directory" contains "$(grep '^cxos:' "$root/etc/passwd")" ":/var/lib/cxos:/usr/sbin/nologin"
check "/var/lib/cxos: 0750 cxos:cxos" same "$(mode_of /var/lib/cxos)" "750 $uid:$gid"
check "/etc/cxos/cxos.env: 0640 root:cxos" same "$(mode_of /etc/cxos/cxos.env)" "640 0:$gid"
check "/etc/cxos/cxos.yaml: 0644 root:root" same "$(mode_of /etc/cxos/cxos.yaml)" "644 0:0"
check "/usr/bin/cxos: 0755 root:root" same "$(mode_of /usr/bin/cxos)" "755 0:0"
check "dpkg knows the conffiles" contains "$(dpkg --root="$root" -s cxos 2>/dev/null)" "/etc/cxos/cxos.env"

unit=$root/lib/systemd/system/cxos.service
for line in "User=cxos" "Group=cxos" "EnvironmentFile=-/etc/cxos/cxos.env" \
  "ExecStart=/usr/bin/cxos serve --config /etc/cxos/cxos.yaml" 'ExecReload=/bin/kill -HUP $MAINPID' \
  "StateDirectory=cxos" "ReadWritePaths=/var/lib/cxos" "Restart=on-failure" "KillSignal=SIGTERM" \
  "ProtectSystem=strict" "CapabilityBoundingSet=" "SystemCallFilter=@system-service" \
  "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "WantedBy=multi-user.target"; do
  check "the unit has $line" grep -qxF -- "$line" "$unit"
done
stop_timeout=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s$/\1/p' "$unit")
check "TimeoutStopSec outlasts cxos's 5 s drain" test "${stop_timeout:-0}" -gt 5
if command -v systemd-analyze >/dev/null; then
  # verify exits 0 on unknown keys and bad values too, so any word from it is a failure.
  verified=$(systemd-analyze verify --root="$root" cxos.service 2>&1)
  check "systemd-analyze verify finds nothing to say" same "$verified" ""
  exposure=$(systemd-analyze security --offline=yes --root="$root" --threshold=20 cxos.service 2>&1 | tail -n 1)
  check "systemd-analyze security rates it 2.0 or less ($exposure)" \
    systemd-analyze security --offline=yes --root="$root" --threshold=20 cxos.service >/dev/null 2>&1
else
  echo "note: systemd-analyze is not installed; the unit was not verified (scripts/install-deps.sh installs it)"
fi

# --- the installed cxos runs from the scratch root ------------------------------------------------
help=$("$root/usr/bin/cxos" --help)
check "the installed cxos --help runs" test $? -eq 0
checked=$("$root/usr/bin/cxos" check-config "$root/etc/cxos/cxos.yaml" 2>&1)
check "the installed config passes cxos check-config ($checked)" contains "$checked" ": ok ("
check "the config stores in the state directory" grep -qF 'url: "sqlite:///var/lib/cxos/cxos.db"' "$root/etc/cxos/cxos.yaml"
check "the config listens on loopback" grep -qF 'listen: "127.0.0.1:' "$root/etc/cxos/cxos.yaml"
for variable in $(sed -n '/^environment:/,$ s/^  \([A-Z_][A-Z_]*\) .*/\1/p' <<<"$help"); do
  check "cxos.env's template lists $variable (cxos --help reads it)" grep -q "^#$variable=" "$root/etc/cxos/cxos.env"
done
packaged=$(cd "$work" && "$root/usr/bin/cxos" teams-package --host cx.example.test \
  --app-id 00000000-0000-0000-0000-000000000000 --out "$work/teams.zip" 2>&1)
check "cxos teams-package finds the installed Teams manifest ($packaged)" test -s "$work/teams.zip"

# --- `cmake --install` under another prefix keeps everything below it ----------------------------
cmake --install "$build" --prefix "$work/local" >"$work/install.log" 2>&1
check "cmake --install --prefix DIR succeeds" test $? -eq 0
check "…and puts the config in DIR/etc/cxos" test -f "$work/local/etc/cxos/cxos.yaml"
check "…and a unit that starts DIR/bin/cxos with DIR/etc/cxos/cxos.yaml" grep -qxF \
  "ExecStart=$work/local/bin/cxos serve --config $work/local/etc/cxos/cxos.yaml" "$work/local/lib/systemd/system/cxos.service"

# --- an administrator's secrets survive a reinstall; a purge removes everything -----------------
printf 'SLACK_SIGNING_SECRET=s3cret\nSLACK_BOT_TOKEN=xoxb-1\n' >>"$root/etc/cxos/cxos.env"
reinstalled=$(dpkg_in_root -i "$deb")
check "a reinstall succeeds" test $? -eq 0
check "a reinstall keeps the administrator's secrets" grep -qx 'SLACK_BOT_TOKEN=xoxb-1' "$root/etc/cxos/cxos.env"
check "…and their mode" same "$(mode_of /etc/cxos/cxos.env)" "640 0:$gid"
check "with secrets in place the postinst no longer asks for them" lacks "$reinstalled" "not started. To start it"

purged=$(dpkg_in_root --purge cxos)
check "a purge succeeds ($purged)" test $? -eq 0
check "a purge removes the cxos user" lacks "$(cat "$root/etc/passwd")" "cxos:"
check "a purge removes the cxos group" lacks "$(cat "$root/etc/group")" "cxos:"
check "a purge removes the state directory" test ! -e "$root/var/lib/cxos"
check "a purge removes /etc/cxos" test ! -e "$root/etc/cxos"
check "a purge removes the binary" test ! -e "$root/usr/bin/cxos"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
