// Suggestions for the typed tool and reviewer pickers of the New file form, past the size where a list is sent with
// the page: as the admin types, the few matching names are asked for and put in the field's datalist. Without this
// script the field still takes a name or a slug, which the server resolves.
(function () {
  "use strict";
  var timers = new WeakMap();

  function suggest(input) {
    var list = input.list;
    var typed = input.value.trim();
    if (!list || typed.length === 0 || typed.length > 100) {
      return;
    }
    var url = "/admin/new?handler=Suggestions&for=" + encodeURIComponent(input.getAttribute("data-suggest")) + "&q=" + encodeURIComponent(typed);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (matches) {
        list.replaceChildren.apply(list, matches.map(function (match) {
          var option = document.createElement("option");
          option.value = match.slug;
          option.textContent = match.name;
          return option;
        }));
      })
      .catch(function () { /* The field works without suggestions. */ });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timers.get(input));
      timers.set(input, setTimeout(function () { suggest(input); }, 150));
    });
  });
}());
