// Votes without a page reload. The forms work without this script (post, then 303 back to the page);
// with it, the vote goes by fetch and the tallies, bars and the visitor's own choice update in place.
(function () {
  "use strict";

  var forms = Array.prototype.slice.call(document.querySelectorAll("form.vote-form"));
  if (forms.length === 0 || !window.fetch) {
    return;
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // Replace the element's leading text but keep child elements (such as the vote count note).
  function setLeadText(element, text) {
    var node = element.firstChild;
    if (node && node.nodeType === Node.TEXT_NODE) {
      node.nodeValue = text + " ";
    } else {
      element.insertBefore(document.createTextNode(text + " "), element.firstChild);
    }
  }

  function votes(count) {
    return count === 1 ? "1 vote" : count + " votes";
  }

  function showTally(tool, community) {
    var total = community.ship + community.skip;
    var percent = community.percent;
    var shown = percent === null ? "—" : percent + "%";
    var sel = '[data-tool="' + tool + '"]';
    each('[data-metric="community-ship"]' + sel, function (el) {
      el.setAttribute("data-value", percent === null ? "" : String(percent));
      setLeadText(el, shown);
    });
    each('[data-metric="community-votes"]' + sel, function (el) {
      el.setAttribute("data-value", String(total));
      el.textContent = total === 0 ? "no votes yet" : votes(total);
    });
    each('[data-metric="community-ship-count"]' + sel, function (el) {
      el.setAttribute("data-value", String(community.ship));
      el.textContent = community.ship + " ship";
    });
    each('[data-metric="community-skip-count"]' + sel, function (el) {
      el.setAttribute("data-value", String(community.skip));
      el.textContent = community.skip + " skip";
    });
    each(".tally" + sel + " .tally-text", function (el) {
      el.textContent = total === 0 ? "No votes yet" : shown + " ship · " + votes(total);
    });
    each(sel + " svg.bar-community", function (svg) {
      var fill = svg.querySelector(".bar-fill");
      if (percent === null || percent === 0) {
        if (fill) { fill.parentNode.removeChild(fill); }
      } else {
        if (!fill) {
          fill = document.createElementNS("http://www.w3.org/2000/svg", "rect");
          fill.setAttribute("class", "bar-fill");
          fill.setAttribute("height", "10");
          fill.setAttribute("rx", "2");
          svg.appendChild(fill);
        }
        fill.setAttribute("width", String(percent));
      }
      var label = svg.getAttribute("aria-label") || "";
      var name = label.replace(/^Community: (?:\d+% ship for |no votes on )/, "").replace(/ yet$/, "");
      svg.setAttribute("aria-label", percent === null ? "Community: no votes on " + name + " yet" : "Community: " + percent + "% ship for " + name);
    });
  }

  function showChoice(form, choice) {
    Array.prototype.forEach.call(form.querySelectorAll("button[aria-pressed]"), function (button) {
      button.setAttribute("aria-pressed", button.value === choice ? "true" : "false");
    });
  }

  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.name !== "choice") {
        return;
      }
      event.preventDefault();
      var status = form.querySelector(".vote-status");
      var tool = form.getAttribute("data-tool");
      var name = (form.querySelector("legend") || {}).textContent || "";
      name = name.replace(/^Your verdict on /, "");
      var body = new URLSearchParams();
      body.set("choice", button.value);
      var buttons = form.querySelectorAll("button");
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
      status.textContent = "Saving your vote…";

      fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            throw new Error(text.trim() || "the server answered " + response.status);
          });
        }
        return response.json();
      }).then(function (result) {
        showTally(result.tool, result.community);
        showChoice(form, result.choice);
        status.textContent = result.choice === null
          ? "Your vote was withdrawn."
          : "Your vote: " + result.choice + " " + name + ".";
      }).catch(function (error) {
        status.textContent = "Your vote was not saved: " + error.message;
      }).then(function () {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      });
    });
  });

  // The cached page is the same for everyone; the visitor's own votes come from a tiny uncached request.
  var tools = forms.map(function (form) { return form.getAttribute("data-tool"); });
  fetch("/votes/mine?tools=" + encodeURIComponent(tools.join(",")), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (mine) {
      forms.forEach(function (form) {
        var choice = mine[form.getAttribute("data-tool")];
        if (choice) {
          showChoice(form, choice);
        }
      });
    })
    .catch(function () { /* Without it the buttons simply show no current choice. */ });
}());
