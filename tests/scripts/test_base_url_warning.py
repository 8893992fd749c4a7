"""scripts/run.sh warns when the server is reachable from other machines while QR links say localhost."""
import os
import subprocess

import pytest

from tests.conftest import REPO


def _warning(*args: str, base_url: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "INSPECTIONS_BASE_URL"}
    if base_url:
        env["INSPECTIONS_BASE_URL"] = base_url
    done = subprocess.run(["bash", "scripts/base_url_warning.sh", *args], cwd=REPO, capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0 and done.stdout == ""
    return done.stderr


@pytest.mark.parametrize("args, base_url", [
    ((), None),                                                   # Streamlit listens on every address
    (("--server.address=0.0.0.0",), None),
    (("--server.address", "192.168.1.20", "--server.port=8502"), "http://localhost:8501"),
    (("--server.address=0.0.0.0",), "http://127.0.0.1:8501"),
])
def test_warns_when_others_can_reach_a_server_whose_links_say_localhost(args, base_url):
    said = _warning(*args, base_url=base_url)
    assert "warning" in said and "INSPECTIONS_BASE_URL" in said


@pytest.mark.parametrize("args, base_url", [
    (("--server.address=127.0.0.1",), None),                     # only this machine reaches it
    (("--server.address", "localhost"), None),
    (("--server.address=0.0.0.0",), "https://192.168.1.20:8501"),
    ((), "https://inspect.district.gov.cn"),
])
def test_quiet_when_links_match_who_can_reach_it(args, base_url):
    assert _warning(*args, base_url=base_url) == ""

