// The admin content editor: CodeMirror over the page's textarea. The textarea stays in the form and is what the form
// posts (the editor copies its text there on submit), so the save, its antiforgery token and its conflict check are
// the same with or without this script.
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, placeholder } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting, indentUnit } from "@codemirror/language";
import { markdownLanguage, markdownKeymap } from "@codemirror/lang-markdown";
import { yamlFrontmatter } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { tags } from "@lezer/highlight";

// Colours are the site's own tokens, so the editor follows light and dark mode and keeps their AA contrast.
const highlighting = HighlightStyle.define([
  { tag: tags.heading, color: "var(--accent)", fontWeight: "700" },
  { tag: [tags.strong], fontWeight: "700" },
  { tag: [tags.emphasis], fontStyle: "italic" },
  { tag: [tags.link, tags.url], color: "var(--accent)", textDecoration: "underline" },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: "var(--ship)", fontWeight: "600" },
  { tag: [tags.string, tags.content], color: "var(--text)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--skip)" },
  { tag: [tags.comment, tags.meta, tags.processingInstruction, tags.punctuation, tags.separator], color: "var(--muted)" },
  { tag: [tags.monospace], color: "var(--warn)" },
]);

const theme = EditorView.theme({
  "&": { color: "var(--text)", backgroundColor: "var(--field-bg)", border: "1px solid var(--border-strong)", borderRadius: "var(--radius)", fontSize: "0.875rem" },
  "&.cm-focused": { outline: "3px solid var(--focus)", outlineOffset: "2px" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.55", minHeight: "24rem", maxHeight: "75vh" },
  ".cm-content": { caretColor: "var(--text)", padding: "0.75rem 0" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--text)" },
  ".cm-gutters": { color: "var(--muted)", backgroundColor: "var(--surface-2)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "var(--accent-soft)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--accent-soft)", color: "var(--text)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "var(--mark-bg)" },
  // CodeMirror draws these with data: images, which the site's img-src 'self' refuses: plain CSS shapes instead.
  ".cm-lint-marker-error": { content: "normal", boxSizing: "border-box", borderRadius: "50%", backgroundColor: "var(--skip)", border: "2px solid var(--skip-bg)" },
  ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy var(--skip)", textUnderlineOffset: "3px" },
  ".cm-tooltip": { color: "var(--text)", backgroundColor: "var(--surface)", border: "1px solid var(--border-strong)" },
});

function start(textarea) {
  const form = textarea.form;
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const position = document.getElementById("cursor-position");
  const errors = Array.from(document.querySelectorAll(".error-line[data-line]"));

  const showPosition = EditorView.updateListener.of(update => {
    if (position && (update.selectionSet || update.docChanged)) {
      const head = update.state.selection.main.head;
      const line = update.state.doc.lineAt(head);
      position.textContent = `Line ${line.number}, column ${head - line.from + 1}`;
    }
  });

  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentUnit.of("  "),
        EditorState.tabSize.of(2),
        keymap.of([...markdownKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        yamlFrontmatter({ content: markdownLanguage }),
        syntaxHighlighting(highlighting),
        EditorView.lineWrapping,
        lintGutter(),
        placeholder("---\ntitle: …\n---"),
        theme,
        // CodeMirror writes its styles into a style element: the page's policy allows it by this answer's nonce.
        EditorView.cspNonce.of(textarea.dataset.styleNonce || ""),
        showPosition,
        EditorView.contentAttributes.of({
          "aria-labelledby": label ? label.id : "",
          "aria-describedby": "cursor-position",
          spellcheck: "false",
          // Already focusable as an editable region; the index tells checkers (axe) that its scrolling box is keyboard-reachable.
          tabindex: "0",
        }),
      ],
    }),
  });

  // The label now names the editor; the textarea leaves the page's layout but keeps its place in the form.
  textarea.style.display = "none";
  textarea.insertAdjacentElement("afterend", view.dom);
  if (label) {
    label.removeAttribute("for");
    label.addEventListener("click", () => view.focus());
  }
  form.addEventListener("submit", () => { textarea.value = view.state.doc.toString(); });

  // A position in the document for a line and column as the server counts them (1-based), kept inside the text.
  function offsetOf(lineNumber, column) {
    const doc = view.state.doc;
    const line = doc.line(Math.min(Math.max(1, lineNumber), doc.lines));
    return line.from + Math.min(Math.max(0, column - 1), line.length);
  }

  function goTo(lineNumber, column) {
    const at = offsetOf(lineNumber, column);
    view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
    view.focus();
  }

  const diagnostics = errors.map(item => {
    const from = offsetOf(Number(item.dataset.line), Number(item.dataset.column || 1));
    const line = view.state.doc.lineAt(from);
    const message = item.querySelector(".error-message");
    return { from, to: from < line.to ? line.to : from, severity: "error", message: (message || item).textContent.trim() };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));

  // Without this script an error's position is plain text (a link would reload the file and lose the text the
  // save refused); here it becomes a button that puts the cursor there.
  errors.forEach(item => {
    const position = item.querySelector(".error-position");
    if (position) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "error-jump";
      button.textContent = position.textContent;
      button.addEventListener("click", () => goTo(Number(item.dataset.line), Number(item.dataset.column || 1)));
      position.replaceWith(button);
    }
  });

  const wanted = Number(textarea.dataset.line || 1);
  const column = Number(textarea.dataset.column || 1);
  if (wanted > 1 || column > 1) {
    goTo(wanted, column);
  }
}

const textarea = document.querySelector("textarea.editor");
if (textarea && textarea.form) {
  start(textarea);
}
