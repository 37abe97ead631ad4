// hjp serve live reload. Loaded only by pages the preview server serves
// (never by the built site), from the site's own origin, so it works under
// the site's strict Content-Security-Policy: no inline code or styles, and
// the event stream is same-origin. It reloads the page when its file
// changed (keeping the scroll position), swaps stylesheets in place when
// only CSS changed, and shows build errors over the last good page.
(function () {
  "use strict";
  var script = document.currentScript;
  var session = script ? script.getAttribute("data-session") : "";
  var servedBuild = script ? script.getAttribute("data-build") : "0";
  var scrollKey = "hjp-serve-scroll";
  var overlayId = "hjp-overlay";

  // fileOf maps the page's URL to the output file the server names in
  // events: "/guide/x/" is "guide/x/index.html".
  function fileOf(pathname) {
    var p = pathname;
    try { p = decodeURIComponent(pathname); } catch (e) { /* keep raw */ }
    p = p.replace(/^\/+/, "");
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p;
  }
  var file = fileOf(location.pathname);

  // restoreScroll puts the page back where it was before a reload:
  // instantly (a theme may make scrolling smooth), once the content is
  // there and again once images and fonts have laid it out (done).
  function restoreScroll(done) {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(scrollKey) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.path !== location.pathname) return;
    if (done) sessionStorage.removeItem(scrollKey);
    window.scrollTo({ left: saved.x, top: saved.y, behavior: "instant" });
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* private mode: reload without keeping the position */ }
    location.reload();
  }

  function swapStylesheet(swap) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var old = links[i];
      if (old.getAttribute("href") !== swap.from) continue;
      var next = old.cloneNode(false);
      next.setAttribute("href", swap.to);
      if (old.hasAttribute("integrity")) {
        if (swap.integrity) next.setAttribute("integrity", swap.integrity);
        else next.removeAttribute("integrity");
      }
      next.addEventListener("load", function (o) { return function () { o.remove(); }; }(old));
      old.after(next);
    }
  }

  function ensureOverlayStyles() {
    if (document.getElementById("hjp-overlay-css")) return;
    var link = document.createElement("link");
    link.id = "hjp-overlay-css";
    link.rel = "stylesheet";
    link.href = "/__hjp/overlay.css";
    document.head.appendChild(link);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // caretLine puts a caret under column col of source, keeping tabs so it
  // lines up.
  function caretLine(source, col) {
    var pad = "";
    var chars = Array.from(source || "");
    for (var i = 0; i < col - 1 && i < chars.length; i++) pad += chars[i] === "\t" ? "\t" : " ";
    return pad + "^";
  }

  function showErrors(errors) {
    clearErrors();
    ensureOverlayStyles();
    var box = el("section", "hjp-overlay");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "hjp-overlay-title");
    var title = el("h2", "hjp-overlay-title", "The last change did not build (" + errors.length + (errors.length === 1 ? " error" : " errors") + ")");
    title.id = "hjp-overlay-title";
    box.appendChild(title);
    box.appendChild(el("p", "hjp-overlay-note", "This page is the last version that built. Fix the problem and save; this message goes away by itself."));
    var list = el("ol", "hjp-overlay-list");
    errors.forEach(function (d) {
      var item = el("li", "hjp-overlay-item");
      item.appendChild(el("p", "hjp-overlay-pos", d.path + ":" + d.line + ":" + d.col));
      if (d.source) item.appendChild(el("pre", "hjp-overlay-source", d.source + "\n" + caretLine(d.source, d.col)));
      item.appendChild(el("p", "hjp-overlay-message", d.message));
      list.appendChild(item);
    });
    box.appendChild(list);
    var hide = el("button", "hjp-overlay-hide", "Hide");
    hide.type = "button";
    hide.addEventListener("click", clearErrors);
    box.appendChild(hide);
    document.body.appendChild(box);
  }

  function clearErrors() {
    var box = document.getElementById(overlayId);
    if (box) box.remove();
  }

  function has(list, f) { return !!list && list.indexOf(f) >= 0; }

  function onBuild(ev) {
    if (!ev.ok) { showErrors(ev.errors || []); return; }
    clearErrors();
    if (ev.all || has(ev.changed, file) || has(ev.removed, file)) { reload(); return; }
    (ev.css || []).forEach(swapStylesheet);
  }

  function connect() {
    var url = "/__hjp/events?file=" + encodeURIComponent(file) + "&build=" + encodeURIComponent(servedBuild);
    var source = new EventSource(url);
    source.addEventListener("hello", function (m) {
      var ev = JSON.parse(m.data);
      if (session && ev.session && ev.session !== session) { reload(); return; }
      if (ev.stale) { reload(); return; }
      if (!ev.ok) showErrors(ev.errors || []); else clearErrors();
    });
    source.addEventListener("build", function (m) {
      var ev = JSON.parse(m.data);
      servedBuild = String(ev.build);
      onBuild(ev);
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  window.hjpServe = { fileOf: fileOf, caretLine: caretLine };
  if (document.readyState === "complete") restoreScroll(true);
  else {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { restoreScroll(false); });
    else restoreScroll(false);
    window.addEventListener("load", function () { restoreScroll(true); });
  }
  connect();
})();
