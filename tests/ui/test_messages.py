"""The message catalogue: every key the pages use exists, in Chinese and in English."""
import re

from inspections.ui.i18n import catalogue
from tests.conftest import REPO


def test_every_used_key_exists_in_both_languages():
    used = set()
    for path in [REPO / "streamlit_app.py", *(REPO / "inspections" / "ui").rglob("*.py")]:
        used |= set(re.findall(r"\bt\(\"(\w+)\"", path.read_text(encoding="utf-8")))
    messages = catalogue()
    assert used, "no message keys found: the scan is broken"
    assert sorted(used - set(messages)) == []
    for key, text in messages.items():
        assert text.zh and text.en, key
