"""QR codes in bulk for printed sheets: the same modules as rendering.qr.png_bytes (a test compares them),
made about three times faster by choosing the mask with numpy."""
from __future__ import annotations

import numpy as np
import qrcode
import qrcode.main
from PIL import Image

GRID_BOX = 4           # qrcode box_size (px per module) of the sheets' codes

#
# qr.png_bytes takes ~13 ms a code, 80 % of it in qrcode's choice of mask: it lays the data out 8 times
# and scores each layout in pure Python. For sheets of thousands of codes the same choice is made here
# with numpy: qrcode encodes the data and lays it out once (mask 0); the 8 test layouts, their scores
# (qrcode's util.lost_point, rule for rule) and the finished code are array operations. The modules
# are those of qr.png_bytes (a test compares them), in about a third of the time (bench.qr_sheet).

_EC = qrcode.constants.ERROR_CORRECT_M
_FINDER_LIKE = (0b00001011101, 0b10111010000)   # qrcode's two 1:1:3:1:1 patterns, as 11-bit numbers
_WINDOW_BITS = 1 << np.arange(10, -1, -1)
_layouts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}


def _layout(code: qrcode.QRCode) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the code's version (bool arrays, n x n): where the data modules are; the function modules as
    qrcode's test layouts have them (format and version information light); the function modules of
    the finished code for each mask (8 x n x n); the 8 masks (8 x n x n)."""
    version = code.version
    if version not in _layouts:
        probe = qrcode.QRCode(error_correction=_EC)
        probe.version, probe.modules_count = version, code.modules_count

        def function_modules(test: bool, mask: int) -> list[list[bool | None]]:
            probe.modules = qrcode.main.copy_2d_array(qrcode.main.precomputed_qr_blanks[version])
            probe.setup_type_info(test, mask)
            if version >= 7:
                probe.setup_type_number(test)
            return probe.modules

        test = function_modules(True, 0)
        data = np.array([[cell is None for cell in row] for row in test])
        tested = np.array([[bool(cell) for cell in row] for row in test])
        final = np.stack([np.array([[bool(cell) for cell in row] for row in function_modules(False, mask)])
                          for mask in range(8)])
        i, j = np.indices(data.shape)
        masks = np.stack([(i + j) % 2 == 0, i % 2 == 0, j % 3 == 0, (i + j) % 3 == 0,
                          (i // 2 + j // 3) % 2 == 0, (i * j) % 2 + (i * j) % 3 == 0,
                          ((i * j) % 2 + (i * j) % 3) % 2 == 0, ((i * j) % 3 + (i + j) % 2) % 2 == 0])
        _layouts[version] = data, tested, final, masks
    return _layouts[version]


def _lost_points(layouts: np.ndarray) -> list[int]:
    """qrcode.util.lost_point of each of the (k, n, n) layouts."""
    k, n, _ = layouts.shape
    points = np.zeros(k, dtype=np.int64)
    for grid in (layouts, layouts.transpose(0, 2, 1)):
        # runs of 5 or more modules of one colour in a row (column): length - 2 each
        change = np.ones((k, n, n + 1), dtype=bool)
        change[:, :, 1:n] = grid[:, :, 1:] != grid[:, :, :-1]
        starts = np.flatnonzero(change)
        lengths = np.diff(starts)
        weights = np.where(lengths >= 5, lengths - 2, 0)
        points += np.bincount(starts[:-1] // (n * (n + 1)), weights=weights, minlength=k).astype(np.int64)
        # 1:1:3:1:1 finder-like patterns with 4 light modules on one side: 40 each
        windows = np.lib.stride_tricks.sliding_window_view(grid, 11, axis=2) @ _WINDOW_BITS
        points += 40 * ((windows == _FINDER_LIKE[0]) | (windows == _FINDER_LIKE[1])).sum(axis=(1, 2))
    # 2 x 2 blocks of one colour: 3 each
    corner = layouts[:, :-1, :-1]
    same = ((corner == layouts[:, 1:, :-1]) & (corner == layouts[:, :-1, 1:])
            & (corner == layouts[:, 1:, 1:]))
    points += 3 * same.sum(axis=(1, 2))
    # dark share: 10 per 5 % away from 50 % (the same float arithmetic as qrcode)
    dark = layouts.sum(axis=(1, 2))
    return [int(p) + int(abs(float(d) / (n ** 2) * 100 - 50) / 5) * 10 for p, d in zip(points, dark)]


def qr_modules(url: str) -> np.ndarray:
    """The modules (bool, True dark, without border) of qr.png_bytes(url)'s code: error correction M,
    smallest version, the mask qrcode would choose."""
    code = qrcode.QRCode(error_correction=_EC, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)
    data, tested, final, masks = _layout(code)
    raw = np.array(code.modules, dtype=bool) ^ (masks[0] & data)   # the data bits, unmasked
    points = _lost_points(np.where(data, raw ^ masks, tested))
    best = points.index(min(points))
    return np.where(data, raw ^ masks[best], final[best])


def qr_picture(url: str, box_size: int = GRID_BOX, border: int = 4) -> Image.Image:
    """qr_modules(url) as a greyscale picture, `box_size` pixels a module: the picture of
    qr.png_bytes, handed to fpdf2 as is (a PNG would only be decoded again; 8-bit grey is both
    faster for fpdf2 and smaller in the PDF than 1-bit, which it transcodes to CCITT)."""
    modules = np.pad(qr_modules(url), border)
    pixels = np.repeat(np.repeat(modules, box_size, axis=0), box_size, axis=1)
    return Image.fromarray(np.where(pixels, 0, 255).astype(np.uint8))


