/*
 * Page language, title and links of the "briefing" Voilà template.
 *
 * The language is the URL's ?lang= (default Chinese). It sets <html lang>, the
 * page <title> (the app's title in that language), the loading screen's text,
 * and it is carried, with ?theme= and ?present=, by every link to another app
 * or to the start page, so it survives reloads and app-to-app navigation.
 * When the viewer switches language with the app's toggle, the URL is updated
 * (history.replaceState) so a reload keeps the choice. Strings and app titles
 * come from static/briefing-meta.js, generated from the Python package.
 */
(function () {
  "use strict";

  var META = window.BRIEFING_META || { strings: {}, apps: {}, report: {} };
  var KEPT = ["lang", "theme", "present"];

  function query() {
    return new URLSearchParams(window.location.search);
  }

  function lang() {
    return query().get("lang") === "en" ? "en" : "zh";
  }

  function t(key, vars) {
    var entry = META.strings[key];
    var text = entry ? entry[lang()] : key;
    Object.keys(vars || {}).forEach(function (name) {
      text = text.replace("{" + name + "}", vars[name]);
    });
    return text;
  }

  function notebookName() {
    var match = /\/voila\/render\/(?:.*\/)?([^/?#]+\.ipynb)/.exec(decodeURIComponent(window.location.pathname));
    return match ? match[1] : null;
  }

  function applyTitle() {
    var l = lang();
    document.documentElement.lang = l === "en" ? "en" : "zh-Hans";
    document.title = wantedTitle();
  }

  // Another app or the start page, on this server: keep the page's mode in its link.
  function isAppLink(anchor) {
    var raw = anchor.getAttribute("data-briefing-href") || anchor.getAttribute("href");
    if (!raw || raw.charAt(0) === "#" || /^(mailto|data|javascript):/i.test(raw)) {
      return false;
    }
    try {
      var url = new URL(raw, window.location.href);
      return (
        url.origin === window.location.origin &&
        (/\.ipynb$/.test(url.pathname) || /\/voila\/(tree|render)(\/|$)/.test(url.pathname))
      );
    } catch (error) {
      return false;
    }
  }

  function carryMode(anchor) {
    // Links that set the mode themselves (the meeting bar's language and exit links).
    if (anchor.hasAttribute("data-briefing-own-mode") || !isAppLink(anchor)) {
      return;
    }
    if (!anchor.hasAttribute("data-briefing-href")) {
      anchor.setAttribute("data-briefing-href", anchor.getAttribute("href"));
    }
    var url = new URL(anchor.getAttribute("data-briefing-href"), window.location.href);
    var here = query();
    KEPT.forEach(function (key) {
      if (here.get(key) && !url.searchParams.has(key)) {
        url.searchParams.set(key, here.get(key));
      }
    });
    var href = url.pathname + url.search + url.hash;
    if (anchor.getAttribute("href") !== href) {
      anchor.setAttribute("href", href);
    }
  }

  function carryAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("a[href]"), carryMode);
  }

  // A chart wider than its box scrolls: keyboard users must be able to scroll it too.
  function focusableScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(".jp-RenderedVegaCommon5"), function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", t("page_chart_scroll"));
      }
    });
  }

  function translateLoading() {
    var node = document.getElementById("loading_text");
    if (!node) {
      return;
    }
    var match = /(\d+)\D+(\d+)/.exec(node.textContent);
    var text = match ? t("page_loading_cell", { n: match[1], total: match[2] }) : t("page_loading") + "…";
    if (node.textContent !== text) {
      node.textContent = text;
    }
  }

  function setLang(next) {
    if (next === lang()) {
      return;
    }
    var params = query();
    if (next === "zh") {
      params.delete("lang");
    } else {
      params.set("lang", next);
    }
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    refreshAll();
  }

  function refreshAll() {
    applyTitle();
    carryAll(document);
    translateLoading();
    document.dispatchEvent(new CustomEvent("briefing:lang", { detail: lang() }));
  }

  window.briefingPage = { lang: lang, t: t, refresh: refreshAll };

  function wantedTitle() {
    var app = META.apps[notebookName()];
    return app ? app[lang()] : t("landing_title");
  }

  // Voilà streams the page while the notebook runs, so the document is not "loaded" until
  // the app is built: watch it from the start (loading text, a <title> parsed later).
  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        if (document.title !== wantedTitle()) {
          applyTitle();
        }
        translateLoading();
        if (document.body) {
          carryAll(document);
          focusableScrollers();
        }
      });
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });

  function start() {
    refreshAll();
    // The app's 中文 / English toggle: keep the choice in the address.
    document.addEventListener(
      "click",
      function (event) {
        var button = event.target && event.target.closest && event.target.closest(".briefing-lang button");
        if (button) {
          setLang(/english/i.test(button.textContent) ? "en" : "zh");
        }
      },
      true
    );
  }

  applyTitle();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/*
 * Meeting mode of the "briefing" Voilà template (?present=1).
 *
 * The inline script in the page head sets the class "briefing-present" on
 * <html>. Every element an app marks with the CSS class "briefing-section" that
 * is not itself inside another such element is one slide (in meeting mode the
 * apps compose one chart or one group of cards per slide). → / PageDown / the
 * button go to the next slide, ← / PageUp to the previous one, Home / End to
 * the first / last; typing a number then Enter (or the box in the bar) jumps to
 * that slide. The slide number is kept in the URL fragment (#2), so a reload
 * stays on it. The bar's strings follow the page language.
 */
(function () {
  "use strict";

  var SECTION_CLASS = "briefing-section";
  var root = document.documentElement;

  if (!root.classList.contains("briefing-present")) {
    return;
  }

  var slides = [];
  var current = -1;
  var titlebar = null;
  var nav = null;
  var counter = null;
  var prevButton = null;
  var nextButton = null;
  var jumpInput = null;
  var jumpButton = null;
  var langLink = null;
  var exitLink = null;
  var scheduled = false;
  var typed = "";

  function page() {
    return window.briefingPage;
  }

  function topLevelSections() {
    var all = Array.prototype.slice.call(document.querySelectorAll("." + SECTION_CLASS));
    return all.filter(function (el) {
      return !(el.parentElement && el.parentElement.closest("." + SECTION_CLASS));
    });
  }

  function hashTarget() {
    // A non-numeric hash names an element (a search hit's paragraph, say): its slide.
    var raw = window.location.hash.replace(/^#/, "");
    try {
      raw = decodeURIComponent(raw);
    } catch (error) {
      return null; // a malformed hash (#%) names nothing: the first screen is shown
    }
    return raw && !/^\d+$/.test(raw) ? document.getElementById(raw) : null;
  }

  function indexFromHash() {
    var target = hashTarget();
    if (target) {
      for (var i = 0; i < slides.length; i++) {
        if (slides[i].contains(target)) {
          return i;
        }
      }
      return Math.max(current, 0);
    }
    var n = parseInt(window.location.hash.replace(/^#/, ""), 10);
    return isNaN(n) ? 0 : n - 1;
  }

  function urlWith(changes) {
    var params = new URLSearchParams(window.location.search);
    Object.keys(changes).forEach(function (key) {
      if (changes[key] === null) {
        params.delete(key);
      } else {
        params.set(key, changes[key]);
      }
    });
    var search = params.toString();
    return window.location.pathname + (search ? "?" + search : "") + window.location.hash;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    if (text) {
      el.textContent = text;
    }
    return el;
  }

  function buildChrome() {
    titlebar = element("header", "briefing-titlebar");
    nav = element("nav", "briefing-nav");

    prevButton = element("button", "briefing-prev");
    prevButton.type = "button";
    prevButton.addEventListener("click", function () {
      show(current - 1);
    });
    counter = element("span", "briefing-counter");
    counter.setAttribute("aria-live", "polite");
    nextButton = element("button", "briefing-next");
    nextButton.type = "button";
    nextButton.addEventListener("click", function () {
      show(current + 1);
    });

    var jump = element("form", "briefing-jump");
    jumpInput = element("input", "briefing-jump-input");
    jumpInput.type = "number";
    jumpInput.min = "1";
    jumpInput.inputMode = "numeric";
    jumpButton = element("button", "briefing-jump-go");
    jumpButton.type = "submit";
    jump.appendChild(jumpInput);
    jump.appendChild(jumpButton);
    jump.addEventListener("submit", function (event) {
      event.preventDefault();
      var n = parseInt(jumpInput.value, 10);
      if (!isNaN(n)) {
        show(n - 1);
      }
      jumpInput.value = "";
      jumpInput.blur();
    });

    langLink = element("a", "briefing-present-lang");
    exitLink = element("a", "briefing-present-exit");
    langLink.setAttribute("data-briefing-own-mode", "");
    exitLink.setAttribute("data-briefing-own-mode", "");

    nav.appendChild(prevButton);
    nav.appendChild(counter);
    nav.appendChild(nextButton);
    nav.appendChild(jump);
    nav.appendChild(langLink);
    nav.appendChild(exitLink);
    document.body.appendChild(titlebar);
    document.body.appendChild(nav);
    translateChrome();
    document.addEventListener("briefing:lang", translateChrome);
  }

  function translateChrome() {
    var p = page();
    var lang = p.lang();
    titlebar.textContent = document.title;
    nav.setAttribute("aria-label", p.t("present_nav"));
    prevButton.textContent = p.t("present_prev");
    prevButton.setAttribute("aria-label", p.t("present_prev_label"));
    nextButton.textContent = p.t("present_next");
    nextButton.setAttribute("aria-label", p.t("present_next_label"));
    jumpInput.setAttribute("aria-label", p.t("present_jump"));
    jumpInput.placeholder = "#";
    jumpButton.textContent = p.t("present_go");
    langLink.textContent = p.t("present_other_lang");
    langLink.setAttribute("aria-label", p.t("present_other_lang_label"));
    langLink.lang = lang === "en" ? "zh-Hans" : "en";
    langLink.href = urlWith({ lang: lang === "en" ? null : "en" });
    exitLink.textContent = p.t("present_exit");
    exitLink.href = urlWith({ present: null }).replace(/#.*$/, "");
  }

  /*
   * The audience's address: `briefing serve` serves the static site at /site/ and answers
   * <base>briefing/audience.json with its address; the QR code (<base>briefing/audience.svg)
   * is shown on the title screen and, on any screen, with the key Q or the QR button.
   * Without a served site the request fails and nothing is shown.
   */
  var audience = null;
  var audienceAsked = false;

  function baseUrl() {
    var config = document.getElementById("jupyter-config-data");
    try {
      return (config && JSON.parse(config.textContent).baseUrl) || "/";
    } catch (error) {
      return "/";
    }
  }

  function showAudience(visible) {
    if (audience) {
      audience.hidden = !visible;
    }
  }

  function buildAudience() {
    var base = baseUrl().replace(/\/?$/, "/");
    if (!window.fetch) {
      return;
    }
    window
      .fetch(base + "briefing/audience.json", { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (info) {
        if (!info || !info.url) {
          return;
        }
        audience = document.createElement("aside");
        audience.className = "briefing-audience";
        audience.setAttribute("aria-label", "观众入口 · For the audience");
        var img = document.createElement("img");
        img.src = base + "briefing/audience.svg";
        img.alt = "二维码 · QR code: " + info.url;
        var caption = document.createElement("p");
        caption.innerHTML = "用手机扫码查看 · Scan to follow on your phone<br>";
        var link = document.createElement("a");
        link.href = info.url;
        link.textContent = info.url;
        caption.appendChild(link);
        audience.appendChild(img);
        audience.appendChild(caption);
        document.body.appendChild(audience);
        var button = document.createElement("button");
        button.type = "button";
        button.className = "briefing-qr";
        button.textContent = "二维码 · QR";
        button.setAttribute("aria-label", "显示或隐藏观众二维码 · Show or hide the audience QR code");
        button.addEventListener("click", function () {
          audienceAsked = !audienceAsked;
          showAudience(audienceAsked || current === 0);
        });
        nav.appendChild(button);
        showAudience(audienceAsked || current <= 0);
      })
      .catch(function () {});
  }

  function show(index) {
    if (slides.length === 0) {
      return;
    }
    index = Math.max(0, Math.min(index, slides.length - 1));
    slides.forEach(function (el, i) {
      el.classList.toggle("briefing-current", i === index);
    });
    var changed = index !== current;
    current = index;
    counter.textContent = index + 1 + " / " + slides.length;
    jumpInput.max = String(slides.length);
    prevButton.disabled = index === 0;
    nextButton.disabled = index === slides.length - 1;
    document.body.dataset.briefingScreen = String(index + 1);
    showAudience(audienceAsked || index === 0);
    document.body.dataset.briefingScreens = String(slides.length);
    if (changed) {
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + (index + 1));
        translateChrome();
      }
      slides[index].scrollTop = 0;
      // Charts drawn at their container's width measure it again on resize.
      window.dispatchEvent(new Event("resize"));
    }
  }

  function refresh() {
    scheduled = false;
    var found = topLevelSections();
    var same =
      found.length === slides.length &&
      found.every(function (el, i) {
        return el === slides[i];
      });
    if (same) {
      return;
    }
    var keep = current >= 0 && current < slides.length ? slides[current] : null;
    slides.forEach(function (el) {
      el.removeAttribute("data-briefing-slide");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".briefing-slide-host"), function (el) {
      el.classList.remove("briefing-slide-host");
    });
    slides = found;
    slides.forEach(function (el, i) {
      el.setAttribute("data-briefing-slide", String(i + 1));
      el.setAttribute("role", "region");
      el.setAttribute("aria-roledescription", "slide");
      el.setAttribute("aria-label", i + 1 + " / " + found.length);
      var cell = el.closest(".jp-Cell");
      if (cell) {
        cell.classList.add("briefing-slide-host");
      }
    });
    document.body.classList.toggle("briefing-has-slides", slides.length > 0);
    if (slides.length === 0) {
      nav.hidden = true;
      return;
    }
    nav.hidden = false;
    var target = keep ? slides.indexOf(keep) : -1;
    if (target < 0) {
      target = current < 0 ? indexFromHash() : current;
    }
    current = -1;
    show(target);
  }

  function scheduleRefresh() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(refresh);
    }
  }

  function isFormControl(target) {
    return (
      target &&
      target.closest &&
      target.closest(
        "input, textarea, select, [contenteditable='true'], [contenteditable=''], " +
          "[role='slider'], .noUi-target, .widget-slider"
      )
    );
  }

  function onKeyDown(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "Escape") {
      typed = "";
      if (document.activeElement && document.activeElement.blur) {
        document.activeElement.blur();
      }
      return;
    }
    if (isFormControl(event.target) || slides.length === 0) {
      return;
    }
    if (/^[0-9]$/.test(event.key)) {
      typed += event.key;
      counter.textContent = "→ " + typed;
      event.preventDefault();
      return;
    }
    switch (event.key) {
      case "Enter":
        if (!typed) {
          return;
        }
        show(parseInt(typed, 10) - 1);
        typed = "";
        break;
      case "ArrowRight":
      case "PageDown":
        show(current + 1);
        break;
      case "ArrowLeft":
      case "PageUp":
        show(current - 1);
        break;
      case "Home":
        show(0);
        break;
      case "End":
        show(slides.length - 1);
        break;
      case "q":
      case "Q":
        if (!audience) {
          return;
        }
        audienceAsked = !audienceAsked;
        showAudience(audienceAsked || current === 0);
        break;
      default:
        return;
    }
    typed = "";
    event.preventDefault();
  }

  function start() {
    buildChrome();
    buildAudience();
    refresh();
    new MutationObserver(scheduleRefresh).observe(document.body, { childList: true, subtree: true });
    document.addEventListener("keydown", onKeyDown);
    window.addEventListener("hashchange", function () {
      var target = hashTarget();
      show(indexFromHash());
      if (target) {
        target.scrollIntoView({ block: "center" });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/*
 * Connection notice: tell the viewer when the app behind the page is gone.
 *
 * Voilà 0.5.13 shows nothing when a page's kernel dies: the server restarts it
 * empty, so the widgets stay on screen but no longer answer. This block watches
 * the page's kernel websockets (/api/kernels/<id>/channels) and shows a banner
 * asking the viewer to reload when the kernel restarts or dies (a "restarting",
 * "autorestarting" or "dead" status), or when the connection closes and no
 * kernel socket is live again (has received a message) within
 * RECONNECT_GRACE_MS: a transient drop that reconnects to the same kernel keeps
 * the page working and shows nothing. Leaving the page shows nothing either.
 * It runs in every mode, before Voilà's own scripts load.
 */
(function () {
  "use strict";

  var NativeWebSocket = window.WebSocket;
  if (!NativeWebSocket) {
    return;
  }
  var KERNEL_CHANNELS = /\/api\/kernels\/[^/?#]+\/channels(?:[?#]|$)/;
  var LOST_STATES = { restarting: true, autorestarting: true, dead: true };
  var RECONNECT_GRACE_MS = 4000;
  var MESSAGE = "连接已断开，请刷新页面 · Connection lost, please reload";
  var liveSockets = 0;
  var leaving = false;
  var shown = false;
  var timer = null;

  function cancelTimer() {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
  }

  function showBanner() {
    if (shown || leaving) {
      return;
    }
    shown = true;
    var banner = document.createElement("div");
    banner.className = "briefing-disconnected";
    banner.setAttribute("role", "alert");
    banner.style.cssText =
      "position: fixed; top: 0; left: 0; right: 0; z-index: 10000; padding: 10px 16px;" +
      "background: #fff4e5; color: #6b3500; border-bottom: 2px solid #e69f00;" +
      "font-size: 16px; text-align: center;";
    var text = document.createElement("span");
    text.textContent = MESSAGE;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "briefing-reload";
    button.textContent = "刷新 · Reload";
    button.style.marginLeft = "12px";
    button.addEventListener("click", function () {
      window.location.reload();
    });
    banner.appendChild(text);
    banner.appendChild(button);
    (document.body || document.documentElement).appendChild(banner);
  }

  // The execution_state of a kernel status message, else null. Frames are JSON
  // text or the binary v1.kernel.websocket.jupyter.org layout: a count n, n
  // little-endian 64-bit offsets, then channel, header, parent header,
  // metadata, content and buffers.
  function executionState(data) {
    try {
      var header;
      var content;
      if (typeof data === "string") {
        var msg = JSON.parse(data);
        header = msg.header;
        content = msg.content;
      } else if (data instanceof ArrayBuffer) {
        var view = new DataView(data);
        var count = view.getUint32(0, true);
        if (count < 6 || data.byteLength < 8 * (count + 1)) {
          return null;
        }
        var offsets = [];
        for (var i = 0; i < count; i++) {
          offsets.push(view.getUint32(8 * (i + 1), true));
        }
        var decoder = new TextDecoder();
        var part = function (k) {
          return JSON.parse(decoder.decode(new Uint8Array(data, offsets[k], offsets[k + 1] - offsets[k])));
        };
        header = part(1);
        if (!header || header.msg_type !== "status") {
          return null;
        }
        content = part(4);
      } else {
        return null;
      }
      if (header && header.msg_type === "status" && content) {
        return content.execution_state || null;
      }
    } catch (error) {
      // Not a kernel message we can read: not ours to judge.
    }
    return null;
  }

  function watch(ws) {
    var live = false;
    ws.addEventListener("message", function (event) {
      if (!live) {
        live = true;
        liveSockets += 1;
        cancelTimer();
      }
      var state = executionState(event.data);
      if (state && LOST_STATES[state]) {
        showBanner();
      }
    });
    ws.addEventListener("close", function () {
      if (live) {
        live = false;
        liveSockets -= 1;
      }
      // Reconnection attempts close again and again: the grace period is not restarted.
      if (liveSockets === 0 && timer === null) {
        timer = window.setTimeout(function () {
          timer = null;
          if (liveSockets === 0) {
            showBanner();
          }
        }, RECONNECT_GRACE_MS);
      }
    });
  }

  function BriefingWebSocket(url, protocols) {
    var ws =
      protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (KERNEL_CHANNELS.test(String(url))) {
      watch(ws);
    }
    return ws;
  }
  BriefingWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    BriefingWebSocket[name] = NativeWebSocket[name];
  });
  window.WebSocket = BriefingWebSocket;

  function leave() {
    leaving = true;
    cancelTimer();
  }
  window.addEventListener("beforeunload", leave);
  window.addEventListener("pagehide", leave);
})();
