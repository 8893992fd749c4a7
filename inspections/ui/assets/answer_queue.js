// The tablet's answer queue. A tap on a card's 符合 / 不符合 / 不适用 is taken here, not by Streamlit: it is
// written to the browser's storage at once, then delivered to /api/answers, in the order given, each with
// a key of its own (a delivery that was cut off and sent again counts once). While the connection is
// down the taps wait in storage (across reloads too) and are sent when it returns. A pill at the top of
// the page always says which it is: all saved, N waiting, or offline. When a delivery is acknowledged,
// the page is asked for a rerun, which shows the saved answer; the request is repeated every few seconds
// until a rerun shows that version (after a long dead zone the HTTP route answers before Streamlit's own
// connection is back, and a rerun asked for then is lost). A photo is too large to keep in the
// browser's storage: one chosen while the server cannot be reached is flagged at once as not saved.
const RESULTS = ["pass", "fail", "not_applicable"];
const RETRY_MS = 3000;
const NUDGE_MS = 3000;                  // how often a rerun is asked for again until it has shown the answers
const TIMEOUT_MS = 6000;

function queueKey(inspection) {
  return "inspect-once-answers:" + inspection;
}

function load(inspection) {
  try {
    return JSON.parse(window.localStorage.getItem(queueKey(inspection)) || "[]");
  } catch (error) {
    return [];
  }
}

function store(inspection, queue) {
  window.localStorage.setItem(queueKey(inspection), JSON.stringify(queue));
}

function newKey() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
}

function pill() {
  let element = document.getElementById("inspect-once-connection");
  if (!element) {
    element = document.createElement("div");
    element.id = "inspect-once-connection";
    element.setAttribute("role", "status");
    element.style.cssText = "position:fixed;top:10px;left:50%;transform:translateX(-50%);z-index:999999;" +
      "padding:6px 16px;border-radius:18px;font-size:15px;line-height:22px;color:#fff;" +
      "box-shadow:0 1px 4px rgba(0,0,0,.25);pointer-events:none;";
    document.body.appendChild(element);
  }
  return element;
}

function show(state) {
  const q = load(state.inspection);
  const element = pill();
  const text = state.text;
  let message = text.saved;
  let colour = "#1b6e3a";
  if (state.offline) {
    message = text.offline.replace("{n}", q.length);
    colour = "#b3261e";
  } else if (q.length) {
    message = text.waiting.replace("{n}", q.length);
    colour = "#b26a00";
  }
  if (state.problem) {                  // a conflict, a refusal or a photo not saved: said first
    message = state.problem + " · " + message;
    colour = "#b3261e";
  }
  element.textContent = message;
  element.style.background = colour;
  element.dataset.waiting = String(q.length);
  element.dataset.offline = state.offline ? "1" : "0";
}

function markPending(button) {
  const group = button.closest("[role='radiogroup']") || button.parentElement;
  group.querySelectorAll("button[role='radio']").forEach((b) => (b.style.outline = ""));
  button.style.outline = "3px dashed #b26a00";
  button.style.outlineOffset = "2px";
}

async function post(url, body) {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
  } finally {
    window.clearTimeout(timer);
  }
}

async function flush(state) {
  if (state.flushing) return;
  state.flushing = true;
  let delivered = 0;
  try {
    for (;;) {
      const q = load(state.inspection);
      if (!q.length) break;
      const head = q[0];
      let response;
      try {
        response = await post(state.url, head);
      } catch (error) {
        state.offline = true;             // no answer (dead zone, stalled link): keep it, try again
        show(state);
        window.clearTimeout(state.retry);
        state.retry = window.setTimeout(() => flush(state), RETRY_MS);
        return;
      }
      if (response.status >= 500 || response.status === 401) {
        state.offline = response.status >= 500;   // 401: signed out; it stays until signed in again
        show(state);
        window.clearTimeout(state.retry);
        state.retry = window.setTimeout(() => flush(state), RETRY_MS);
        return;
      }
      state.offline = false;
      if (response.status === 409) {
        const body = await response.json();
        state.problem = state.text.conflict.replace("{name}", body.name).replace("{time}", body.time);
        store(state.inspection, load(state.inspection).filter((entry) => entry.key !== head.key));
        show(state);
        state.setTriggerValue("conflict", { item_id: head.item_id, ...body });   // the card shows theirs
        continue;
      } else if (!response.ok) {
        state.problem = state.text.refused;
      }
      if (response.ok) {
        const body = await response.json().catch(() => ({}));
        if (body && body.version) state.awaiting[head.item_id] = body.version;   // until a rerun shows it
      }
      store(state.inspection, load(state.inspection).filter((entry) => entry.key !== head.key));
      delivered += 1;
      show(state);
    }
  } finally {
    state.flushing = false;
  }
  if (delivered) {
    state.setTriggerValue("delivered", Date.now());
    nudge(state);
  }
}

function idle() {
  // Streamlit's own mark on the app: no script run going (a request now would interrupt none).
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute("data-test-script-state") === "notRunning";
}

function nudge(state) {
  // Ask again for the rerun that shows the delivered answers, until a render of this component carries
  // their versions (see the default function): a trigger sent while Streamlit reconnects is lost. Only
  // while no run is going and some seconds after the last request, so that a slow run is never cut short.
  if (state.nudging) return;
  state.askedAt = Date.now();
  state.nudging = window.setInterval(() => {
    if (!Object.keys(state.awaiting).length || !state.active) {
      window.clearInterval(state.nudging);
      state.nudging = null;
      return;
    }
    if (idle() && Date.now() - state.askedAt >= NUDGE_MS) {
      state.askedAt = Date.now();
      state.setTriggerValue("delivered", Date.now());
    }
  }, 1000);
}

function shown(state, versions) {
  // The answers this render shows at (or past) the version their delivery made are no longer awaited.
  for (const [item, version] of Object.entries(state.awaiting)) {
    if ((versions[item] || 0) >= version) delete state.awaiting[item];
  }
}

// The result buttons react to pointer events (react-aria), so every event of a press on one is held back
// from Streamlit here, in the capture phase at the document (before React's listeners at the app root),
// and the press is taken on pointer-up, or Enter / Space.
const PRESS_EVENTS = ["pointerdown", "pointerup", "mousedown", "mouseup", "touchstart", "touchend", "click", "keydown", "keyup"];

function resultButton(event, state) {
  const button = event.target.closest && event.target.closest("button[role='radio']");
  if (!button || button.disabled || button.getAttribute("aria-disabled") === "true") return null;
  const card = button.closest("[class*='st-key-card-']");
  const group = button.closest("[role='radiogroup']");
  if (!card || !group) return null;
  const buttons = Array.from(group.querySelectorAll("button[role='radio']"));
  const item = Array.from(card.classList).find((c) => c.startsWith("st-key-card-"));
  if (!item || buttons.length !== RESULTS.length) return null;
  const itemId = item.slice("st-key-card-".length);
  if (!(itemId in state.versions)) return null;      // not a checklist card of this visit
  return { button, itemId, result: RESULTS[buttons.indexOf(button)] };
}

function onPress(event) {
  const state = window.__inspectOnceQueue;
  if (!state || !state.active) return;
  const found = resultButton(event, state);
  if (!found) return;
  const keyboard = event.type === "keydown" && (event.key === "Enter" || event.key === " ");
  if (event.type.startsWith("key") && !keyboard && event.type !== "keyup") return;
  event.stopPropagation();
  if (event.type === "touchend" || event.type === "click" || keyboard) event.preventDefault();
  if (event.type === "pointerup" || keyboard) tap(state, found.button, found.itemId, found.result);
}

function tap(state, button, itemId, result) {
  const q = load(state.inspection);
  q.push({ key: newKey(), inspection_id: state.inspection, item_id: itemId, result,
           seen_version: state.versions[itemId] || 0, tapped_at: new Date().toISOString() });
  store(state.inspection, q);                         // kept before anything is sent
  state.problem = "";
  markPending(button);
  show(state);
  flush(state);
}

async function reachable() {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), 3000);
  try {
    const response = await fetch("/_stcore/health", { cache: "no-store", signal: controller.signal });
    return response.ok;
  } catch (error) {
    return false;
  } finally {
    window.clearTimeout(timer);
  }
}

async function onFile(event) {
  const state = window.__inspectOnceQueue;
  const input = event.target;
  if (!state || !state.active || !input || input.type !== "file" || !input.closest("[class*='st-key-card-']")) return;
  if (!input.files || !input.files.length) return;
  if (!(await reachable())) {
    state.offline = true;
    state.problem = state.text.photo;             // said at once; it stays until the next answer
    show(state);
    flush(state);
  }
}

export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || !data.inspection) return;
  const state = window.__inspectOnceQueue || { flushing: false, offline: false, problem: "", awaiting: {} };
  if (state.inspection !== data.inspection) state.awaiting = {};
  Object.assign(state, { inspection: data.inspection, url: data.url, versions: data.versions || {},
                         text: data.text, setTriggerValue, active: true });
  shown(state, state.versions);
  if (Object.keys(state.awaiting).length) nudge(state);   // still waiting for a rerun that shows them
  if (!window.__inspectOnceQueue) {
    window.__inspectOnceQueue = state;
    PRESS_EVENTS.forEach((type) => document.addEventListener(type, onPress, true));
    document.addEventListener("change", onFile, true);
    window.addEventListener("online", () => flush(state));
  }
  show(state);
  flush(state);
  return () => {                                        // the page changed: the pill goes with it
    state.active = false;
    const element = document.getElementById("inspect-once-connection");
    if (element) element.remove();
  };
}
