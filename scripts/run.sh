#!/usr/bin/env bash
# The README's run command: installs what the app needs and starts it on the embedded default
# (data/inspections.duckdb, created and seeded with demo data on first start). On Debian as root it
# also installs the CJK font the rectification notices (PDF) are set in, when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk
    else
        echo "scripts/run.sh: notices (PDF) need a CJK font: sudo apt-get install fonts-noto-cjk" >&2
    fi
fi
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
bash scripts/base_url_warning.sh "$@"
exec python3 -m streamlit run streamlit_app.py "$@"
