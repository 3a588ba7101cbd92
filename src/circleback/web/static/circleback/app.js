/* Circleback's own small enhancements. Every page works without this file. */
(function () {
  "use strict";
  var body = document.body;

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  /* Keyboard shortcuts: / search people, n new person, l log an interaction. */
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (key === "/") {
      var search = document.getElementById("q");
      event.preventDefault();
      if (search) { search.focus(); search.select(); }
      else if (body.dataset.peopleUrl) { window.location.href = body.dataset.peopleUrl + "#q"; }
    } else if (key === "n" && body.dataset.newPersonUrl) {
      event.preventDefault();
      window.location.href = body.dataset.newPersonUrl;
    } else if (key === "l") {
      var log = document.getElementById("id_log-summary");
      event.preventDefault();
      if (log) { log.focus(); log.scrollIntoView({ block: "center" }); }
      else if (body.dataset.logUrl) { window.location.href = body.dataset.logUrl; }
    }
  });

  if (window.location.hash === "#q") {
    var target = document.getElementById("q");
    if (target) target.focus();
  }

  /* Search as you type: fetch the same URL with partial=1 and swap the results region. */
  var form = document.querySelector("form[data-live-search]");
  var results = document.getElementById("results");
  if (form && results) {
    var timer = null;
    var inflight = null;
    var refresh = function () {
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
      var query = params.toString();
      var pageUrl = form.action.split("?")[0] + (query ? "?" + query : "");
      params.set("partial", "1");
      if (inflight) inflight.abort();
      inflight = new AbortController();
      results.setAttribute("aria-busy", "true");
      fetch(form.action.split("?")[0] + "?" + params.toString(), {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        signal: inflight.signal
      }).then(function (response) {
        if (!response.ok) throw new Error("search failed: " + response.status);
        return response.text();
      }).then(function (html) {
        results.innerHTML = html;
        results.setAttribute("aria-busy", "false");
        window.history.replaceState(null, "", pageUrl);
        enhanceSelection();
      }).catch(function (error) {
        if (error.name !== "AbortError") { results.setAttribute("aria-busy", "false"); form.submit(); }
      });
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 250); };
    form.addEventListener("input", function (event) {
      if (event.target.type === "date") return;
      later();
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT" || event.target.type === "date") later();
    });
  }

  /* Select everyone on this page of the list. */
  function enhanceSelection() {
    var all = document.getElementById("select-all");
    if (!all) return;
    all.hidden = false;
    var boxes = function () { return document.querySelectorAll("input[name=ids]"); };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
  }
  enhanceSelection();

  /* A background import: follow its progress, and show the result when it ends. Without
     this the page refreshes itself (a <noscript> meta refresh). */
  var importing = document.querySelector("[data-import-status]");
  if (importing) {
    var bar = importing.querySelector("progress");
    var poll = function () {
      fetch(importing.dataset.importStatus, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (state) {
          if (state.status !== "importing") { window.location.reload(); return; }
          importing.querySelector("[data-step]").textContent = state.step;
          importing.querySelector("[data-label]").textContent = state.label;
          var count = importing.querySelector("[data-count]");
          if (state.total) {
            bar.max = state.total;
            bar.value = state.done;
            bar.textContent = Math.floor(100 * state.done / state.total) + "%";
            count.textContent = state.done.toLocaleString() + " of " + state.total.toLocaleString();
            count.hidden = false;
          } else {
            bar.removeAttribute("value");
            count.hidden = true;
          }
          setTimeout(poll, 500);
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 500);
  }
})();

/* "Print" buttons (data-print): the CSP refuses inline onclick="" handlers. */
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { event.preventDefault(); window.print(); }
});
