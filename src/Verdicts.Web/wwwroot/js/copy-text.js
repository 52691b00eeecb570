// The conflict page's copy button: puts the admin's own text on the clipboard. Without script (or without clipboard
// access) the button stays hidden and the text stays selectable in its box.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        status.textContent = "Copied.";
      }, function () {
        source.select();
        status.textContent = "Select the text and copy it.";
      });
    });
  });
}());
