#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser) and the portal
# benchmark (bench/portals.py): Playwright drives it with executable_path, it downloads no browser of its own.
# Installs the `chromium` package with apt-get when missing (as root, e.g. in CI), and a Chinese font
# (`fonts-wqy-microhei`) when the machine has none, so that screenshots show Chinese text, not empty boxes.
set -euo pipefail
CHROMIUM=${PAIZHU_CHROMIUM:-/usr/bin/chromium}
has_chinese_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; }
if [ -x "$CHROMIUM" ] && has_chinese_font; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium 或中文字体未安装 (Chromium or a Chinese font is missing): run" \
       "'sudo apt-get install -y chromium fonts-wqy-microhei'" >&2
  exit 1
fi
echo "Chromium or a Chinese font is not installed: installing them from the system packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
[ -x "$CHROMIUM" ] || { echo "Chromium did not install at $CHROMIUM" >&2; exit 1; }
