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
  // Suggest names as you type in any people field: the datalist fills from the owner's
  // network. Without JS the field is a plain typed name, resolved when the form is sent.
  var people = document.getElementById("loops-people");
  if (people && people.dataset.source) {
    var timer = null;
    var latest = "";
    var fill = function (query, rows) {
      if (query !== latest) return;  // an older answer arriving late
      people.replaceChildren.apply(people, rows.map(function (row) {
        var option = document.createElement("option");
        option.value = row.name;
        if (row.organisation) option.label = row.name + " — " + row.organisation;
        return option;
      }));
    };
    document.addEventListener("input", function (event) {
      var field = event.target;
      if (!field.matches || !field.matches('input[list="loops-people"]')) return;
      var query = field.value.trim();
      clearTimeout(timer);
      if (query.length < 2) { latest = ""; people.replaceChildren(); return; }
      timer = setTimeout(function () {
        latest = query;
        fetch(people.dataset.source + "?q=" + encodeURIComponent(query), {
          headers: { "Accept": "application/json" }, credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : { people: [] };
        }).then(function (data) { fill(query, data.people || []); }, function () {});
      }, 150);
    });
  }
})();
