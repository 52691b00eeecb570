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

  // The words come with the vote's answer (Voting/CommunityShare.cs words them), so the page and the script agree.
  function showTally(tool, community, shown) {
    var percent = community.percent;
    var sel = '[data-tool="' + tool + '"]';
    each('[data-metric="community-ship"]' + sel, function (el) {
      el.setAttribute("data-value", percent === null ? "" : String(percent));
      setLeadText(el, shown.headline);
    });
    each('[data-metric="community-votes"]' + sel, function (el) {
      el.setAttribute("data-value", String(community.n));
      el.textContent = el.classList.contains("mini-note") ? "(" + shown.note + ")" : shown.note;
    });
    each('[data-metric="community-ship-count"]' + sel, function (el) {
      el.setAttribute("data-value", String(community.ship));
      el.textContent = community.ship + " ship";
    });
    each('[data-metric="community-skip-count"]' + sel, function (el) {
      el.setAttribute("data-value", String(community.skip));
      el.textContent = community.skip + " skip";
    });
    each('[data-metric="community-share-only"]' + sel, function (el) {
      el.textContent = shown.shareOnly;
    });
    each(".tally" + sel + " .tally-text", function (el) {
      el.textContent = shown.summary;
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
      svg.setAttribute("aria-label", shown.barLabel);
    });
  }

  function nameOf(form) {
    return ((form.querySelector("legend") || {}).textContent || "").replace(/^Your verdict on /, "");
  }

  // The same words the page has after a vote without JavaScript (Pages/Shared/Fragments.cs).
  function choiceStatus(form, choice) {
    return choice === null
      ? "Your vote was withdrawn."
      : "You voted " + choice + " on " + nameOf(form) + ". You can change or withdraw your vote.";
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
        showTally(result.tool, result.community, result.shown);
        showChoice(form, result.choice);
        status.textContent = choiceStatus(form, result.choice);
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
          form.querySelector(".vote-status").textContent = choiceStatus(form, choice);
        }
      });
    })
    .catch(function () { /* Without it the buttons simply show no current choice. */ });
}());
