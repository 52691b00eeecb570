// Type-ahead for the fields where a tool's name is typed (input[data-tool-names]): the ARIA 1.2 combobox pattern with
// a list box of at most a few names from /api/tool-names, so no page carries the whole list of tools. Without this
// script the fields are plain text inputs of plain GET forms, and the compare page resolves what was typed.
// The header's search box (input[data-suggestions]) has the same list, fed by /api/search: each option there is a page
// (a tool, a comparison, a reviewer), and picking one goes to it; without this script the box is a plain search form.
(function () {
  "use strict";

  var inputs = Array.prototype.slice.call(document.querySelectorAll("input[data-tool-names], input[data-suggestions]"));
  if (inputs.length === 0 || !window.fetch) {
    return;
  }

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  (document.querySelector("main") || document.body).appendChild(status);

  inputs.forEach(function (input, index) {
    var source = input.getAttribute("data-suggestions");
    var list = document.createElement("ul");
    list.id = "tool-names-" + index;
    list.className = "tool-names";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", source ? "Suggestions" : "Tools");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.parentNode.classList.add("has-tool-names");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var timer = 0;
    var asked = "";
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(next) {
      var all = options();
      if (all.length === 0) {
        return;
      }
      active = (next + all.length) % all.length;
      Array.prototype.forEach.call(all, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    // The name is what the visitor sees; the slug, sent in its place, keeps two tools of the same name apart.
    function pick(option) {
      if (option.hasAttribute("data-url")) {
        close();
        window.location.assign(option.getAttribute("data-url"));
        return;
      }
      input.value = option.getAttribute("data-name");
      input.setAttribute("data-picked-name", input.value);
      input.setAttribute("data-picked-slug", option.getAttribute("data-slug"));
      close();
      input.focus();
    }

    function show(tools) {
      list.textContent = "";
      tools.forEach(function (tool, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-slug", tool.slug);
        option.setAttribute("data-name", tool.name);
        if (tool.url) {
          option.setAttribute("data-url", tool.url);
        }
        option.appendChild(document.createTextNode(tool.name + " "));
        var category = document.createElement("span");
        category.className = "muted";
        category.textContent = tool.category || tool.kind;
        option.appendChild(category);
        // mousedown, not click: it comes before the field's blur, which would close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(option);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = tools.length === 0;
      input.setAttribute("aria-expanded", tools.length === 0 ? "false" : "true");
      if (source) {
        status.textContent = tools.length === 0 ? "No suggestions." : tools.length + (tools.length === 1 ? " suggestion." : " suggestions.");
      } else {
        status.textContent = tools.length === 0 ? "No tool has that name." : tools.length + (tools.length === 1 ? " tool" : " tools") + " found.";
      }
    }

    function ask() {
      var typed = input.value.trim();
      if (typed === asked) {
        return;
      }
      asked = typed;
      if (typed === "") {
        close();
        return;
      }
      fetch((source || "/api/tool-names") + "?q=" + encodeURIComponent(typed), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (tools) {
          // An answer for what is no longer typed is dropped.
          if (input.value.trim() === typed && document.activeElement === input) {
            show(tools);
          }
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      input.removeAttribute("data-picked-name");
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          asked = "";
          ask();
        } else {
          highlight(active + (event.key === "ArrowDown" ? 1 : -1));
        }
        event.preventDefault();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        pick(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    if (input.form) {
      input.form.addEventListener("submit", function () {
        if (input.getAttribute("data-picked-name") === input.value) {
          input.value = input.getAttribute("data-picked-slug");
        }
      });
    }
  });
}());
