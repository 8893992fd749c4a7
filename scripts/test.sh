#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs the whole suite.
# On Debian as root it also installs, when missing, chromium and CJK fonts (real-browser tests) and
# poppler-utils (reading PDFs back); a second run skips the apt step.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "scripts/test.sh: missing ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" \
             "(the browser tests fail without them)" >&2
    fi
fi

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
python3 -m pytest -q "$@"
