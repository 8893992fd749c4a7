// Scrolls the element with the given class into view, once per page load and occasion (opening or
// reloading the visit comes back to its first open item, and so does moving on to the next section;
// the reruns that follow each answer do not move the page). The element may render after this
// component: it is looked for for up to 3 s.
export default function (component) {
  const { data } = component;
  if (!data || !data.target || !data.occasion) return;
  window.__inspectOnceScrolled = window.__inspectOnceScrolled || {};
  if (window.__inspectOnceScrolled[data.occasion]) return;
  window.__inspectOnceScrolled[data.occasion] = true;
  const started = Date.now();
  const inView = (element) => {
    const top = element.getBoundingClientRect().top;
    return top >= 0 && top < window.innerHeight * 0.5;
  };
  const look = () => {
    const element = document.getElementsByClassName(data.target)[0];
    if (element) {
      if (!inView(element)) element.scrollIntoView({ block: "start" });
      // what renders above it later (the banner, the bar) pushes it down: look again for a moment
      if (Date.now() - started < 2000) window.setTimeout(look, 250);
    } else if (Date.now() - started < 3000) {
      window.setTimeout(look, 100);
    }
  };
  look();
}
