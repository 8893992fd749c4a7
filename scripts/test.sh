#!/usr/bin/env bash
# The README's test command: installs what the tests need, runs the whole suite, then runs its fast tiers
# (all but the real-browser and kill -9 tests) twice more on moved clocks with TZ=UTC: at 23:00 UTC on
# a year's last evening (07:00 on 1 January in Beijing) and on a leap day. Arguments go to every pytest run.
# On Debian as root it also installs, when missing, chromium and CJK fonts (real-browser tests), the
# PDFs' fallback fonts for emoji and symbols, and poppler-utils (reading PDFs back); a second run skips
# the apt step.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v chromium >/dev/null || missing+=(chromium)
for font in fonts-noto-cjk fonts-noto-color-emoji fonts-symbola; do   # the last two: inspections/rendering/pdf_fonts.py
    dpkg -s "$font" >/dev/null 2>&1 || missing+=("$font")
done
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

# Moved clocks: time-machine moves the system clock of the test process (tests/conftest.py) and of the CLI
# processes it starts; the browser and kill -9 tiers run servers it cannot move, so they are left out.
for instant in 2026-12-31T23:00:00+00:00 2028-02-29T02:00:00+00:00; do
    echo "scripts/test.sh: the fast tiers again, with the clock at $instant and TZ=UTC"
    TZ=UTC INSPECTIONS_TEST_TRAVEL="$instant" python3 -m pytest -q -m "not browser and not kill9" "$@"
done
