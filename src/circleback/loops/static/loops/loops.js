// Small enhancements for the loops pages; everything works without them.
(function () {
  "use strict";
  // Copy a draft to the clipboard (the textarea stays selectable without JS).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-status"));
      if (!target) return;
      var done = function () { if (status) status.textContent = "Copied."; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(target.value).then(done, function () {
          target.select(); document.execCommand("copy"); done();
        });
      } else {
        target.select(); document.execCommand("copy"); done();
      }
    });
  });
  // Add another referral row to the outcome form (a Django formset).
  var add = document.querySelector("[data-add-referral]");
  if (add) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var total = document.getElementById("id_referral-TOTAL_FORMS");
      var rows = document.querySelectorAll("fieldset.referral");
      if (!total || !rows.length || rows.length >= 20) return;
      var index = parseInt(total.value, 10);
      var copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll("input, select, label, legend").forEach(function (el) {
        ["id", "name", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/referral-\d+-/, "referral-" + index + "-"));
        });
        if (el.tagName === "LEGEND") el.textContent = "Referral " + (index + 1);
        if (el.tagName === "INPUT" && el.type === "text") el.value = "";
        if (el.tagName === "INPUT" && el.type === "checkbox") el.checked = false;
      });
      copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      rows[rows.length - 1].after(copy);
      total.value = index + 1;
      var first = copy.querySelector("input");
      if (first) first.focus();
    });
  }
})();
