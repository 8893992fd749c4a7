"""What .streamlit/config.toml tells the server that every visitor meets."""
from tests.conftest import REPO


def test_no_visitor_is_shown_a_traceback():
    """Issue 18 #15: tracebacks reached users, anonymous ones too. The served config shows none."""
    import tomllib
    served = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert served["client"]["showErrorDetails"] == "none"
    assert served["server"]["disconnectedSessionTTL"] >= 600          # a 10-minute dead zone keeps the session
