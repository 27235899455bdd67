// What the endpoint's query page (graph/server/assets/app.js) takes from CodeMirror 6:
// bundled by build.mjs into one script that defines the global `CM`. Our own page code
// stays in app.js, readable and unbundled; this file only re-exports the vendored parts.
export { EditorState, Prec } from "@codemirror/state";
export { EditorView, hoverTooltip, keymap, placeholder } from "@codemirror/view";
export { basicSetup } from "codemirror";
export { syntaxHighlighting, syntaxTree } from "@codemirror/language";
export { classHighlighter } from "@lezer/highlight";
export { autocompletion, startCompletion, completionStatus, currentCompletions,
         acceptCompletion } from "@codemirror/autocomplete";
export { sparql, SparqlLanguage } from "codemirror-lang-sparql";
