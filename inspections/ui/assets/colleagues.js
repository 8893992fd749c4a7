// Polls the visit's colleagues' answers every few seconds (an HTTP request, no Streamlit rerun); when
// they changed since the page was drawn, asks for one rerun, which shows them. Typing is not disturbed:
// a rerun keeps what is being typed in a field.
export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || !data.url) return;
  if (window.__inspectOnceColleagues) window.clearInterval(window.__inspectOnceColleagues);
  const timer = window.setInterval(async () => {
    try {
      const response = await fetch(data.url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const body = await response.json();
      if (body.fingerprint !== data.seen) {
        window.clearInterval(timer);
        setTriggerValue("changed", body.fingerprint);
      }
    } catch (error) {
      // offline: try again at the next tick
    }
  }, data.every_ms || 4000);
  window.__inspectOnceColleagues = timer;
  return () => window.clearInterval(timer);
}
