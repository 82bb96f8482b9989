/*
 * Presentation mode of the "briefing" Voilà template.
 *
 * Active when the page URL has ?present=1 (the inline script in the page head
 * then sets the class "briefing-present" on <html>). Every element an app
 * marks with the CSS class "briefing-section" that is not itself inside
 * another such element becomes one screen. ArrowRight / PageDown go to the
 * next screen, ArrowLeft / PageUp to the previous one, Home / End to the
 * first / last; the buttons at the bottom do the same. The screen number is
 * kept in the URL fragment (#2), so a reload stays on the same screen.
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
  var scheduled = false;

  function topLevelSections() {
    var all = Array.prototype.slice.call(document.querySelectorAll("." + SECTION_CLASS));
    return all.filter(function (el) {
      return !(el.parentElement && el.parentElement.closest("." + SECTION_CLASS));
    });
  }

  function hashTarget() {
    // A non-numeric hash names an element (a search hit's paragraph, say): its screen.
    var raw = decodeURIComponent(window.location.hash.replace(/^#/, ""));
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

  function buildChrome() {
    titlebar = document.createElement("header");
    titlebar.className = "briefing-titlebar";
    var heading = document.querySelector("#rendered_cells h1");
    titlebar.textContent = heading ? heading.textContent.replace(/\u00b6$/, "").trim() : document.title;

    nav = document.createElement("nav");
    nav.className = "briefing-nav";
    nav.setAttribute("aria-label", "演示导航");

    prevButton = document.createElement("button");
    prevButton.type = "button";
    prevButton.className = "briefing-prev";
    prevButton.textContent = "◀ 上一页";
    prevButton.setAttribute("aria-label", "上一页");
    prevButton.addEventListener("click", function () {
      show(current - 1);
    });

    counter = document.createElement("span");
    counter.className = "briefing-counter";
    counter.setAttribute("aria-live", "polite");

    nextButton = document.createElement("button");
    nextButton.type = "button";
    nextButton.className = "briefing-next";
    nextButton.textContent = "下一页 ▶";
    nextButton.setAttribute("aria-label", "下一页");
    nextButton.addEventListener("click", function () {
      show(current + 1);
    });

    nav.appendChild(prevButton);
    nav.appendChild(counter);
    nav.appendChild(nextButton);
    document.body.appendChild(titlebar);
    document.body.appendChild(nav);
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
    prevButton.disabled = index === 0;
    nextButton.disabled = index === slides.length - 1;
    document.body.dataset.briefingScreen = String(index + 1);
    if (changed) {
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + (index + 1));
      }
      slides[index].scrollTop = 0;
      // Widgets and charts that were hidden measure themselves on resize.
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
      if (document.activeElement && document.activeElement.blur) {
        document.activeElement.blur();
      }
      return;
    }
    if (isFormControl(event.target) || slides.length === 0) {
      return;
    }
    switch (event.key) {
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
      default:
        return;
    }
    event.preventDefault();
  }

  function start() {
    buildChrome();
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
