() => {
  // Every control a finger can tap on the screen as shown, measured by its tappable box (for Streamlit's
  // radio, checkbox and toggle, the label that wraps the hidden input), and those smaller than 44x44 CSS px.
  // A select's arrow, a box's clear button or inner field count as part of their box. Left out: what is not on the page (hidden, in a closed expander, in the phone's closed sidebar, which
  // sits off-screen) and the skip link, which appears only for keyboard focus.
  const MIN = 44;
  const selectors = [
    "button", "a[href]", "[role='button']", "[role='tab']", "summary",
    "label[data-baseweb='radio']", "label[data-baseweb='checkbox']", "[data-baseweb='select'] > div",
    "input:not([type='hidden']):not([type='file']):not([type='radio']):not([type='checkbox'])", "textarea",
  ];
  const out = [];
  const PARTS = "[data-baseweb='select'] > div, [data-baseweb='input'], [data-baseweb='base-input'], " +
                "[data-testid='stSelectbox'] [role='group'], [data-testid='stMultiSelect'] [role='group'], " +
                "[data-testid='stTooltipHoverTarget']";
  for (const el of document.querySelectorAll(selectors.join(","))) {
    if (el.closest("[data-testid='stSkipToContent']")) continue;
    if (el.closest("label[data-baseweb='checkbox'], label[data-baseweb='radio']") && el.tagName === "INPUT") continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const whole = el.parentElement?.closest(PARTS);   // a select's arrow or a box's inner field: the box is the target
    if (whole && !el.closest("[data-baseweb='tag'], [data-tag]")) {
      const w = whole.getBoundingClientRect();
      if (w.width >= MIN - 0.5 && w.height >= MIN - 0.5) continue;
    }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0 || r.left >= window.innerWidth) continue;
    if (r.width < MIN - 0.5 || r.height < MIN - 0.5) {
      const text = (el.innerText || el.getAttribute("aria-label") || el.getAttribute("title") || "").trim();
      out.push({tag: el.tagName.toLowerCase(), testid: el.closest("[data-testid]")?.getAttribute("data-testid") || "",
                text: text.replace(/\s+/g, " ").slice(0, 40), width: Math.round(r.width), height: Math.round(r.height)});
    }
  }
  return out;
}
