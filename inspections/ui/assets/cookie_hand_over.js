// Hands the sign-in cookie to the browser: posts the one-time ticket of a fresh sign-in to /auth/adopt
// (which answers with an HttpOnly cookie), or asks /auth/sign-out to delete it. Each request goes once
// per tab (sessionStorage remembers it across reruns); one that could not be sent is tried again at the
// next mount. Nothing is reported back: a rerun of its own could cut a page switch short.
export default function (component) {
  const { data } = component;
  if (!data || !data.path || !data.once) return;
  const key = "inspect-once-cookie:" + data.once;
  if (window.sessionStorage.getItem(key)) return;
  window.sessionStorage.setItem(key, "sent");
  fetch(data.path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ticket: data.ticket || "" }),
  })
    .then((response) => {
      if (response.status >= 500) window.sessionStorage.removeItem(key);  // try again at the next mount
    })
    .catch(() => window.sessionStorage.removeItem(key));  // not sent (offline): the next mount tries again
}
