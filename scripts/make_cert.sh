#!/usr/bin/env bash
# Makes a self-signed TLS certificate for a pilot on a LAN, so tablets can open the camera
# (browsers allow it only over https or on localhost). Usage:
#   bash scripts/make_cert.sh 192.168.1.20 [inspect.local]
# Writes cert.pem and key.pem into $TLS_DIR (default data/tls, git-ignored), valid for 825 days, for the given
# address and names. Tablets must trust it once (install cert.pem, or accept the warning).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: bash scripts/make_cert.sh LAN_IP [HOSTNAME ...]" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "openssl is needed: apt-get install -y openssl" >&2; exit 1; }
ip="$1"; shift
san="IP:${ip},IP:127.0.0.1,DNS:localhost"
for name in "$@"; do san="${san},DNS:${name}"; done
dir="${TLS_DIR:-data/tls}"
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" \
  -subj "/CN=${ip}/O=Inspect Once pilot" -addext "subjectAltName=${san}" 2>/dev/null
chmod 600 "$dir/key.pem"
echo "$dir/cert.pem and $dir/key.pem made for ${san}"
echo "serve with: INSPECTIONS_BASE_URL=https://${ip}:8501 streamlit run streamlit_app.py \\"
echo "  --server.address=0.0.0.0 --server.sslCertFile=$dir/cert.pem --server.sslKeyFile=$dir/key.pem"
