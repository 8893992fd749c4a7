"""Render a rectification notice with 10 hazards and 20 photos (1600x1200 JPEGs, as photos.py stores
them); the same notice without photos in the same process as the alternative, and a one-line PDF with
the same fonts (what the fonts alone cost). Prints figures and ratios.

    python -m bench.notice_pdf [--runs N]
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from inspections.rendering.notice_pdf import NoticeData, NoticeHazard, render_notice
from inspections.rendering.pdf_fonts import find_cjk_font, new_pdf

HAZARDS, PHOTOS = 10, 20
DESCRIPTIONS = ("二号车间东侧安全出口被成品托盘堵塞，疏散通道宽度不足1米，夜班期间无人值守。",
                "仓库灭火器压力不足（指针位于红区），2具过期未检，消防栓前堆放纸箱。",
                "涂装线危险化学品暂存间未设置防爆通风，现场存放稀释剂约200升，超过一昼夜用量。",
                "叉车司机未持特种设备作业人员证上岗，叉车未进行定期检验。")


def make_photo(path: Path, rng: random.Random) -> None:
    """A 1600x1200 JPEG with shapes, a gradient and sensor-like noise: compresses like a photo."""
    w, h = 1600, 1200
    base = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    tint = Image.new("RGB", (w, h), tuple(rng.randrange(120, 256) for _ in range(3)))
    base = ImageChops.multiply(base, tint)
    draw = ImageDraw.Draw(base)
    for _ in range(120):
        x, y = rng.randrange(w), rng.randrange(h)
        box = [x, y, x + rng.randrange(20, 400), y + rng.randrange(20, 300)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(1.5))
    noise = Image.effect_noise((w, h), 28).convert("RGB")
    Image.blend(base, noise, 0.18).save(path, format="JPEG", quality=82, optimize=True)


def notice(photo_paths: list[Path]) -> NoticeData:
    per_hazard = max(1, len(photo_paths) // HAZARDS) if photo_paths else 0
    hazards = [NoticeHazard(
        hazard_id=f"H20261127-{n:04d}", item_id=f"bench.item{n}",
        item_title=f"检查项目 {n}：消防安全与危化品管理", description=DESCRIPTIONS[n % len(DESCRIPTIONS)] * (1 + n % 3),
        level="major" if n % 4 == 0 else "general",
        deadline=date(2026, 12, 1) + timedelta(days=n * 3), basis="《中华人民共和国安全生产法》第四十一条；"
        "《中华人民共和国消防法》第二十八条", major_if="人员密集场所疏散通道被占用" if n % 4 == 0 else None,
        photos=photo_paths[n * per_hazard:(n + 1) * per_hazard]) for n in range(HAZARDS)]
    return NoticeData(
        notice_number="整改〔2026〕JC20261127-0001号", enterprise_name="演示汽车零部件（天津）有限公司",
        enterprise_code="91120116MA05T0QX2K", enterprise_address="天津市滨海新区汽车产业园黄海路188号",
        inspection_id="JC20261127-0001", inspected_on=date(2026, 11, 27),
        departments=["应急管理局", "市场监督管理局", "消防救援支队"],
        inspectors=["张伟（演示）", "李娜（演示）"],
        hazards=hazards, inspection_code_url="http://localhost:8501/?code=" + "x" * 120,
        enterprise_portal_url="http://localhost:8501/?enterprise=91120116MA05T0QX2K",
        issued_on=date(2026, 11, 27))


def timed(runs: int, make) -> tuple[float, bytes]:
    seconds, result = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        result = make()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def fonts_only() -> bytes:
    pdf = new_pdf()
    pdf.add_page()
    pdf.cell(0, 10, "隐患整改通知书")
    return bytes(pdf.output())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"font: {find_cjk_font()}")
    with tempfile.TemporaryDirectory() as folder:
        rng = random.Random(20261127)
        paths = [Path(folder) / f"photo{i:02d}.jpg" for i in range(PHOTOS)]
        for path in paths:
            make_photo(path, rng)
        photo_mb = sum(p.stat().st_size for p in paths) / 1e6
        with_photos, pdf = timed(runs, lambda: render_notice(notice(paths)))
        without, plain = timed(runs, lambda: render_notice(notice([])))
        fonts, _ = timed(runs, fonts_only)
    print(f"{HAZARDS} hazards, {PHOTOS} photos of 1600x1200 ({photo_mb:.1f} MB of JPEG), "
          f"median of {runs} runs")
    print(f"  with photos:    {with_photos:6.2f} s   {len(pdf) / 1e6:5.2f} MB")
    print(f"  without photos: {without:6.2f} s   {len(plain) / 1e6:5.2f} MB")
    print(f"  fonts only:     {fonts:6.2f} s   (one-line PDF with the same fonts)")
    print(f"  ratio with/without photos: {with_photos / without:.2f}")


if __name__ == "__main__":
    main()
