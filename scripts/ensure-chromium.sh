#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser) and the portal
# benchmark (bench/portals.py): Playwright drives it with executable_path, it downloads no browser of its own.
# Installs the `chromium` package with apt-get when missing (as root, e.g. in CI).
set -euo pipefail
CHROMIUM=${PAIZHU_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium 未安装 (Chromium is missing at $CHROMIUM): run 'sudo apt-get install -y chromium'" >&2
  exit 1
fi
echo "Chromium is not installed: installing it from the system packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
[ -x "$CHROMIUM" ] || { echo "Chromium did not install at $CHROMIUM" >&2; exit 1; }
