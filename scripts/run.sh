#!/usr/bin/env bash
# The README's run command: installs what the app needs and starts it on the embedded default
# (data/inspections.duckdb, created and seeded with demo data on first start, by `init --demo`: the app
# itself never seeds). A demo is served to this machine only (--server.address=localhost) unless an
# address is given; a demo database on another address needs INSPECTIONS_DEMO=1. On Debian as root it
# also installs, when missing, the CJK font the rectification notices (PDF) are set in and the fallback
# fonts that draw the emoji and symbols it lacks (without them those print as □).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
missing=()
for font in fonts-noto-cjk fonts-noto-color-emoji fonts-symbola; do   # the last two: inspections/rendering/pdf_fonts.py
    dpkg -s "$font" >/dev/null 2>&1 || missing+=("$font")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "scripts/run.sh: notices (PDF) need a CJK font, and fonts for emoji: sudo apt-get install" \
             "${missing[*]}" >&2
    fi
fi
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
database="${INSPECTIONS_DB:-data/inspections.duckdb}"
if [[ ! -e "$database" ]]; then
    echo "scripts/run.sh: no database at $database: seeding the demo (for a real install see README," \
         "'From demo to real use')" >&2
    python3 -m inspections --db "$database" init --demo
fi
args=("$@")
if ! printf '%s\n' "$@" | grep -q -- '^--server.address' \
        && ! grep -qs '^[[:space:]]*address[[:space:]]*=' .streamlit/config.toml; then
    args=(--server.address=localhost "${args[@]}")   # the demo's password is published: this machine only
fi
bash scripts/base_url_warning.sh "${args[@]}"
exec python3 -m streamlit run streamlit_app.py "${args[@]}"
