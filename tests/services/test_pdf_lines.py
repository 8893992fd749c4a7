"""The PDFs' Chinese line breaking and their emoji, read back as a reader meets them: a notice whose note
has closing and opening marks where lines would break, and an emoji, is rendered, read with poppler's
`pdftotext -layout` (one text line per printed line), and no printed line starts with a closing mark nor
ends with an opening one; the emoji is printed, with the fallback font when the machine has one, else as
the placeholder. The glyph rule itself is checked on a document of its own."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from inspections.rendering import pdf_fonts
from inspections.rendering.line_breaking import load_rules
from inspections.rendering.notice_pdf import render_notice
from inspections.rendering.pdf_fonts import FALLBACK_CANDIDATES, FontMissing, find_cjk_font, new_pdf
from inspections.rendering.qr_sheets_pdf import EnterpriseQr, render_enterprise_poster
from tests.services.test_notice_pdf import hazard, notice

try:
    find_cjk_font()
except FontMissing:
    pytest.skip("no CJK font for PDFs on this machine", allow_module_level=True)

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
RULES = load_rules()
EMOJI = "😀"
HAS_EMOJI_FONT = any(path.is_file() for path in FALLBACK_CANDIDATES)
# A note of sentences cut to many lengths (4 to 23 characters) that keep their two last characters:
# closing marks in twos (”。 ）。 …… ——), opening brackets and quotes inside. Over a dozen lines at any
# width some breaks fall right before a closing mark or after an opening one; the emoji is in it twice.
SENTENCES = ["检查发现一号库房的灭火器标签写着“已检”。", "疏散通道被成品货架堵塞（宽度不足1米）。",
             "应急照明灯具损坏……", "电气线路私拉乱接——存在火灾隐患！", "消防控制室值班记录缺失；",
             f"现场发现有人吸烟{EMOJI}，", "“禁止烟火”标志缺失。", "《消防法》第二十八条要求保持畅通；",
             "叉车充电区未设置围挡（见照片3）。", "员工称“不知道”。"]
NOTE = "".join(sentence[:-2][:4 + (n * 7) % 20] + sentence[-2:]
               for n, sentence in enumerate(SENTENCES[n % len(SENTENCES)] for n in range(40)))

def layout_lines(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True, timeout=60).stdout.decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def broken_lines(lines: list[str]) -> list[str]:
    """The printed lines that break a rule: start with a closing mark or end with an opening one."""
    return [line for line in lines if line[0] in RULES.no_line_start or line[-1] in RULES.no_line_end]


@pytest.fixture(scope="module")
def printed() -> list[str]:
    return layout_lines(render_notice(notice([hazard(1, description=NOTE), hazard(2, item_title=NOTE[:90])])))


def note_lines(printed: list[str]) -> list[str]:
    """The printed lines from the label 存在问题 to the next label 依据, page furniture left out should
    the note cross a page; the label taken off the first."""
    first = next(n for n, line in enumerate(printed) if line.startswith("存在问题"))
    last = next(n for n, line in enumerate(printed) if n > first and line.startswith("依据"))
    furniture = re.compile(r"^第\s*\d+\s*页\s*/\s*共|^隐患整改通知书\s")
    lines = [line for line in printed[first:last] if not furniture.search(line)]
    return [lines[0].removeprefix("存在问题").strip(), *lines[1:]]


@needs_pdftotext
def test_no_printed_line_starts_with_closing_or_ends_with_opening_punctuation(printed):
    assert len(note_lines(printed)) > 10  # the note takes many lines: the rule is put to the test
    assert broken_lines(printed) == []    # nor does any other line of the notice (the title has the note)


@needs_pdftotext
def test_the_note_is_printed_whole_with_its_emoji(printed):
    """Every character of the note, in order: the emoji itself, or the placeholder without an emoji font."""
    expected = NOTE if HAS_EMOJI_FONT else NOTE.replace(EMOJI, RULES.placeholder)
    assert "".join("".join(note_lines(printed)).split()) == "".join(expected.split())


@needs_pdftotext
def test_without_an_emoji_font_the_emoji_prints_as_the_placeholder(monkeypatch):
    monkeypatch.setattr(pdf_fonts, "FALLBACK_CANDIDATES", ())
    text = "".join(layout_lines(render_notice(notice([hazard(1, description=f"现场有人吸烟{EMOJI}，已制止。")]))))
    assert f"现场有人吸烟{RULES.placeholder}，已制止。" in "".join(text.split())
    assert EMOJI not in text


@pytest.mark.skipif(not HAS_EMOJI_FONT, reason="no emoji font (apt-get install fonts-noto-color-emoji)")
@needs_pdftotext
def test_with_an_emoji_font_the_emoji_itself_is_printed():
    text = "".join(layout_lines(render_notice(notice([hazard(1, description=f"现场有人吸烟{EMOJI}，已制止。")]))))
    assert f"现场有人吸烟{EMOJI}，已制止。" in "".join(text.split())


@needs_pdftotext
def test_the_entrance_poster_prints_an_emoji_in_the_name_too():
    """The poster is another document class (CJKDocument too): its name passes the same glyph rule."""
    name = f"演示{EMOJI}小吃店（滨海店）"
    poster = render_enterprise_poster(EnterpriseQr(name=name, code="91120116MA05T0QX2K",
                                                   url="http://localhost:8501/?enterprise=91120116MA05T0QX2K"))
    expected = name if HAS_EMOJI_FONT else name.replace(EMOJI, RULES.placeholder)
    assert expected in "".join("".join(layout_lines(poster)).split())


def test_glyphs_keep_what_a_font_draws_and_box_the_rest(tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    pdf = new_pdf(bold=False, fallbacks=[broken, tmp_path / "absent.ttf"])  # unusable fallbacks: none
    glyphs = pdf.glyphs
    text = "灭火器GB50016（已过期），¥20"
    assert glyphs.drawable(text) is text  # all in the CJK font: untouched
    box = RULES.placeholder
    assert glyphs.drawable(f"吸烟{EMOJI}") == f"吸烟{box}"
    assert glyphs.drawable("⚠\ufe0f注意") == "⚠注意"            # the emoji variation selector is dropped
    assert glyphs.drawable("👍🏻好") == f"{box}好"                 # the skin tone with it
    assert glyphs.drawable("👨\u200d🚒") == f"{box}{box}"         # a zero-width joiner is dropped
    assert glyphs.drawable("第一行\n第二行") == "第一行\n第二行"   # control characters are fpdf2's
    assert "fallback0" not in pdf.fonts


@pytest.mark.skipif(not HAS_EMOJI_FONT, reason="no emoji font (apt-get install fonts-noto-color-emoji)")
def test_the_fallback_font_is_added_when_first_needed():
    pdf = new_pdf(bold=False)
    assert not any(key.startswith(pdf_fonts.FALLBACK_FAMILY) for key in pdf.fonts)
    assert pdf.glyphs.drawable("灭火器") == "灭火器"
    assert not any(key.startswith(pdf_fonts.FALLBACK_FAMILY) for key in pdf.fonts)
    assert pdf.glyphs.drawable(f"吸烟{EMOJI}") == f"吸烟{EMOJI}"
    assert any(key.startswith(pdf_fonts.FALLBACK_FAMILY) for key in pdf.fonts)
    assert pdf.get_string_width(EMOJI) > 0
