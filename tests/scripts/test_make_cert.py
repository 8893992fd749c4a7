"""The pilot's self-signed certificate names the LAN address, so tablets reach https://LAN_IP:8501."""
import os
import subprocess

from tests.conftest import REPO


def test_certificate_covers_the_lan_address(tmp_path):
    result = subprocess.run(["bash", "scripts/make_cert.sh", "192.168.1.20", "inspect.local"], cwd=REPO,
                            capture_output=True, text=True, env={**os.environ, "TLS_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "--server.sslCertFile=" in result.stdout
    names = subprocess.run(["openssl", "x509", "-in", str(tmp_path / "cert.pem"), "-noout", "-ext",
                            "subjectAltName"], capture_output=True, text=True).stdout
    assert "IP Address:192.168.1.20" in names and "DNS:inspect.local" in names
    assert (tmp_path / "key.pem").stat().st_mode & 0o077 == 0


def test_usage_without_an_address():
    result = subprocess.run(["bash", "scripts/make_cert.sh"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 2 and "usage" in result.stderr
