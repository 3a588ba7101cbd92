/* The person picker: every field that names someone in your network suggests people as you
   type, following the WAI-ARIA combobox pattern (a text box with a listbox popup, list
   autocomplete). Down and Up move through the suggestions, Enter chooses one, Escape closes
   the list (or, when it is closed, empties the box). Without this file each field is a plain
   text box, and the server finds whom you typed or asks which one you meant. */
(function () {
  "use strict";
  var made = 0;

  function picker(input) {
    made += 1;
    if (!input.id) input.id = "person-picker-" + made;
    var id = input.id;
    var separator = input.getAttribute("data-separator") || "";
    var allowNew = input.hasAttribute("data-allow-new");
    var picked = null;
    var sibling = input.nextElementSibling;
    if (sibling && sibling.hasAttribute("data-person-picked")) picked = sibling;

    var box = document.createElement("div");
    box.className = "combobox";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    if (picked) box.appendChild(picked);

    var list = document.createElement("ul");
    list.id = id + "-listbox";
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    // Named apart from the field's label, so "the field labelled X" is the text box alone.
    list.setAttribute("aria-label", "Suggested people");
    box.appendChild(list);

    // What the list holds, said to screen readers; shown on screen when nobody matches.
    var status = document.createElement("p");
    status.className = "combobox-status";
    status.id = id + "-status";
    status.setAttribute("role", "status");
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var active = -1;
    var timer = null;
    var asked = "";
    var shownFor = null;
    var inflight = null;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

    function typed() {
      if (!separator) return input.value.trim();
      var parts = input.value.split(separator);
      return parts[parts.length - 1].trim();
    }

    function say(text, visible) {
      status.textContent = text;
      status.classList.toggle("shown", Boolean(visible && text));
    }

    function open() {
      if (!options().length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    }

    function highlight(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(query, data) {
      var people = data.people || [];
      list.replaceChildren();
      people.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.uuid = person.uuid;
        option.dataset.name = person.name;
        var name = document.createElement("span");
        name.className = "combobox-name";
        name.textContent = person.name;
        option.appendChild(name);
        var about = [person.title, person.organisation].filter(Boolean).join(", ");
        if (about) {
          var detail = document.createElement("span");
          detail.className = "combobox-detail";
          detail.textContent = " — " + about;
          option.appendChild(detail);
        }
        list.appendChild(option);
      });
      var exact = people.some(function (p) { return p.name.toLowerCase() === query.toLowerCase(); });
      if (allowNew && !exact) {
        var add = document.createElement("li");
        add.id = id + "-option-new";
        add.setAttribute("role", "option");
        add.setAttribute("aria-selected", "false");
        add.dataset.name = query;
        add.dataset.new = "1";
        add.className = "combobox-new";
        add.textContent = "Add “" + query + "” as a new person";
        list.appendChild(add);
      }
      shownFor = query;
      var count = people.length;
      if (!count) {
        say(allowNew ? "Nobody in your network matches “" + query + "”; they will be added."
                     : "Nobody in your network matches “" + query + "”. Check the spelling.", true);
      } else {
        say(count + (data.more ? "+" : "") + (count === 1 && !data.more ? " person matches" : " people match") +
            (data.more ? "; the best " + count + " are listed, type more to narrow them down." : ".") +
            " Use the up and down arrows to choose, Enter to pick.", false);
      }
      // An answer that arrives after the focus moved on opens nothing over the next field.
      if (options().length && document.activeElement === input) open(); else close();
    }

    function ask(query, then) {
      if (inflight) inflight.abort();
      inflight = window.AbortController ? new AbortController() : null;
      asked = query;
      fetch(input.getAttribute("data-source") + "?q=" + encodeURIComponent(query), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        signal: inflight ? inflight.signal : undefined
      }).then(function (response) {
        if (!response.ok) throw new Error("suggestions failed: " + response.status);
        return response.json();
      }).then(function (data) {
        if (query !== asked) return;  // an older answer arriving late
        show(query, data);
        if (then) then();
      }).catch(function (error) {
        if (error.name !== "AbortError") { close(); say("", false); }
      });
    }

    function choose(option) {
      var name = option.dataset.name;
      if (separator) {
        var parts = input.value.split(separator);
        parts[parts.length - 1] = (parts.length > 1 ? " " : "") + name;
        input.value = parts.join(separator) + separator + " ";
      } else {
        input.value = name;
        if (picked) picked.value = option.dataset.new ? "" : (option.dataset.uuid || "");
      }
      close();
      list.replaceChildren();
      shownFor = null;
      say(option.dataset.new ? "“" + name + "” will be added as a new person." : "Chose " + name + ".", false);
      input.focus();
      var end = input.value.length;
      input.setSelectionRange(end, end);
    }

    input.addEventListener("input", function () {
      if (picked) picked.value = "";  // typing again forgets the person chosen
      var query = typed();
      clearTimeout(timer);
      if (!query) { asked = ""; close(); list.replaceChildren(); shownFor = null; say("", false); return; }
      timer = setTimeout(function () { ask(query); }, 150);
    });

    input.addEventListener("keydown", function (event) {
      var all = options();
      var isOpen = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (event.altKey) { open(); return; }
          if (!isOpen) {
            var query = typed();
            if (query && shownFor === query && all.length) { open(); highlight(0); }
            else if (query) { ask(query, function () { highlight(0); }); }
            return;
          }
          highlight(active + 1 >= all.length ? 0 : active + 1);
          return;
        case "ArrowUp":
          if (event.altKey) { event.preventDefault(); close(); return; }
          if (!isOpen) return;
          event.preventDefault();
          highlight(active <= 0 ? all.length - 1 : active - 1);
          return;
        case "Enter":
          if (isOpen && active >= 0 && all[active]) {
            event.preventDefault();
            choose(all[active]);
          }
          return;
        case "Escape":
          if (isOpen) { event.preventDefault(); close(); return; }
          if (input.value) {
            event.preventDefault();
            input.value = "";
            if (picked) picked.value = "";
            say("", false);
          }
          return;
        case "Tab":
          close();
          return;
        default:
          return;
      }
    });

    // A pointer chooses too; pressing on the list must not take focus from the box.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
    // Leaving the field drops a question still on its way and the list; what the status said
    // stays for screen readers but no longer takes room under the field.
    input.addEventListener("blur", function () {
      clearTimeout(timer);
      if (inflight) inflight.abort();
      asked = "";
      close();
      say(status.textContent, false);
    });
  }

  document.querySelectorAll("input[data-person-picker]").forEach(picker);
})();
