"""Print every enterprise's check-in QR (扫码入企): one QR sheet of 3,160 enterprises at 12 a page, against
the in-process alternative of one poster PDF each (100 posters timed, the rest extrapolated). Also the
cost of one code: qr.png_bytes (qrcode's own mask choice) against the sheet's numpy mask choice.
Prints figures and ratios.

    python -m bench.qr_sheet [--count 3160] [--per-page 12] [--posters 100]
"""
from __future__ import annotations

import argparse
import random
import time

from inspections.rendering import qr
from inspections.rendering.qr_bulk import qr_picture
from inspections.rendering.qr_sheets_pdf import EnterpriseQr, render_enterprise_poster, render_qr_sheet

PLACES = ("天津", "滨海", "津南", "西青", "东丽", "武清")
TRADES = ("汽车零部件", "精密模具", "新能源动力电池", "汽车内饰", "物流运输", "涂装", "橡胶制品", "电子控制系统",
          "冲压件", "仓储服务", "餐饮管理", "危险化学品经营")
FORMS = ("有限公司", "有限责任公司", "股份有限公司", "制造有限公司", "科技发展有限公司")


def enterprises(count: int, seed: int = 3160) -> list[EnterpriseQr]:
    rng = random.Random(seed)
    listed = []
    for i in range(count):
        name = f"演示{rng.choice(PLACES)}{rng.choice(TRADES)}{rng.choice(FORMS)}"
        if rng.random() < 0.15:   # some long names, shortened on the sheet
            name = f"演示{rng.choice(PLACES)}{rng.choice(TRADES)}{rng.choice(TRADES)}技术研发与制造{rng.choice(FORMS)}第{i}分公司"
        code = f"91120116MA{i:08d}"
        listed.append(EnterpriseQr(name=name, code=code, url=qr.enterprise_url("http://192.168.1.20:8501", code)))
    return listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3160)
    parser.add_argument("--per-page", type=int, default=12)
    parser.add_argument("--posters", type=int, default=100)
    args = parser.parse_args()
    listed = enterprises(args.count)

    sample = listed[:200]
    start = time.perf_counter()
    for entry in sample:
        qr.png_bytes(entry.url, box_size=4)
    one_qrcode = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    for entry in sample:
        qr_picture(entry.url)
    one_bulk = (time.perf_counter() - start) / len(sample)

    reports = []
    start = time.perf_counter()
    sheet = render_qr_sheet(listed, per_page=args.per_page, progress=lambda done, total: reports.append(done))
    sheet_s = time.perf_counter() - start
    pages = -(-len(listed) // args.per_page)

    posters = listed[:args.posters]
    start = time.perf_counter()
    poster_bytes = sum(len(render_enterprise_poster(entry)) for entry in posters)
    poster_s = time.perf_counter() - start
    per_poster = poster_s / len(posters)
    all_posters = per_poster * len(listed)

    print(f"{len(listed)} enterprises, {args.per_page} a page ({pages} pages)")
    print(f"  one code, qr.png_bytes (box 4):       {one_qrcode * 1000:6.2f} ms   (mean of {len(sample)})")
    print(f"  one code, sheet's bulk path (box 4):   {one_bulk * 1000:6.2f} ms   ratio {one_qrcode / one_bulk:.1f}x")
    print(f"  QR sheet:                              {sheet_s:6.1f} s    {len(sheet) / 1e6:6.2f} MB   "
          f"{sheet_s / len(listed) * 1000:.1f} ms an enterprise, {len(reports)} progress reports")
    print(f"  one poster each (in-process):          {per_poster:6.2f} s a poster, {len(posters)} timed "
          f"in {poster_s:.1f} s, {poster_bytes / len(posters) / 1e3:.0f} kB each")
    print(f"    extrapolated to {len(listed)} posters:      {all_posters:6.0f} s    "
          f"{poster_bytes / len(posters) * len(listed) / 1e6:6.1f} MB   (estimate: {len(posters)} timed, "
          f"times {len(listed) / len(posters):.1f})")
    print(f"  ratio posters / sheet:                 {all_posters / sheet_s:6.1f}x")


if __name__ == "__main__":
    main()
