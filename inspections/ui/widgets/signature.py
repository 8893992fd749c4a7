"""A signature drawn with a finger on the tablet (a drawing canvas); PNG bytes, or None when blank.

The canvas is a Streamlit component that registers itself from its package manifest, which the
`streamlit run` runtime reads; it is imported here, when a signature is asked for, so that AppTest
(which reads no manifests) can stand a recorded signature in for it."""
from __future__ import annotations

import io

import streamlit as st
from PIL import Image

from inspections.rendering import signature_paper
from inspections.ui.i18n import t


PAD_WIDTH = 520


def signature_pad(key: str, height: int = 160) -> bytes | None:
    """The pad on its paper (请在此签名), in a container whose bottom margin keeps the canvas's own toolbar
    (undo, redo, clear) off the next label (touch.css, `st-key-signature-pad-`)."""
    from streamlit_drawable_canvas import st_canvas
    with st.container(key=f"signature-pad-{key}"):
        result = st_canvas(stroke_width=3, stroke_color="#000000",
                           background_image=signature_paper.paper_png(PAD_WIDTH, height, t("signature_here")),
                           height=height, width=PAD_WIDTH, drawing_mode="freedraw", update_streamlit=True,
                           return_image_data=True, key=key)
    drawn = result is not None and result.json_data and result.json_data.get("objects")
    if not drawn or result.image_data is None:
        return None
    return on_white(Image.fromarray(result.image_data.astype("uint8"), "RGBA"))


def on_white(drawn: Image.Image) -> bytes:
    """The strokes on white paper, as PNG. The canvas hands back its drawing layer, transparent where
    nothing was drawn: dropping the alpha channel would turn that black around black strokes."""
    paper = Image.new("RGBA", drawn.size, (255, 255, 255, 255))
    out = io.BytesIO()
    Image.alpha_composite(paper, drawn.convert("RGBA")).convert("RGB").save(out, format="PNG")
    return out.getvalue()
