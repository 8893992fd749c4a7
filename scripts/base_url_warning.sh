#!/usr/bin/env bash
# Warns (on stderr) when the app will be reachable from other machines while the links in its QR codes
# still say localhost: a tablet scanning a posted code or a notice would open its own localhost.
# Usage: scripts/base_url_warning.sh [streamlit run arguments]; run.sh calls it with its own arguments.
set -uo pipefail
address=""
while (($#)); do
    case "$1" in
        --server.address=*) address="${1#*=}" ;;
        --server.address) shift; address="${1:-}" ;;
    esac
    shift
done
if [[ -z "$address" && -f "$(dirname "$0")/../.streamlit/config.toml" ]]; then
    address=$(sed -n 's/^[[:space:]]*address[[:space:]]*=[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}.*/\1/p' \
        "$(dirname "$0")/../.streamlit/config.toml" | head -n 1)
fi
case "$address" in
    localhost|127.*|::1|"[::1]") exit 0 ;;   # only this machine can reach it
esac
base="${INSPECTIONS_BASE_URL:-http://localhost:8501}"
case "$base" in
    *://localhost*|*://127.*|*://\[::1\]*)
        echo "scripts/run.sh: warning: the app listens on ${address:-every address} (other machines can reach it)," \
             "but INSPECTIONS_BASE_URL is $base, so the QR codes it prints link to each tablet's own localhost." \
             "Set INSPECTIONS_BASE_URL to the address tablets use (see README, 'Serving tablets over https')." >&2 ;;
esac
exit 0
