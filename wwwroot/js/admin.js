// The editor without a library: show the cursor's line and column, and put the cursor on the line an error
// link points to. Everything still works without this script; errors always carry their line numbers.
(function () {
  "use strict";
  var editor = document.querySelector("textarea.editor");
  var position = document.getElementById("cursor-position");
  if (!editor || !position) {
    return;
  }

  function update() {
    var before = editor.value.slice(0, editor.selectionStart);
    var lines = before.split("\n");
    position.textContent = "Line " + lines.length + ", column " + (lines[lines.length - 1].length + 1);
  }

  function goToLine(line) {
    var lines = editor.value.split("\n");
    var offset = 0;
    for (var i = 0; i < Math.min(line - 1, lines.length - 1); i++) {
      offset += lines[i].length + 1;
    }
    editor.focus();
    editor.setSelectionRange(offset, offset + (lines[line - 1] || "").length);
    var lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 20;
    editor.scrollTop = Math.max(0, (line - 3) * lineHeight);
    update();
  }

  ["keyup", "click", "select", "input"].forEach(function (name) { editor.addEventListener(name, update); });
  var wanted = parseInt(editor.getAttribute("data-line"), 10);
  if (wanted > 1) {
    goToLine(wanted);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".error-line[data-line] a"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      goToLine(parseInt(link.parentNode.getAttribute("data-line"), 10));
    });
  });
}());
