// The query page: a SPARQL editor (CodeMirror 6, vendored in vendor/codemirror.js as the
// global CM), the named queries with their parameter forms, and the answers as a table
// (IRIs linked to their entity pages, with labels), a bar chart, CSV and JSON downloads.
// Every string from the server or the graph goes into the page through textContent or an
// attribute set by the DOM, never as HTML. Without the editor bundle the plain textarea works.
"use strict";

const ENDPOINT = "sparql";
const RESULT_TYPES = {
  table: "application/sparql-results+json, text/turtle;q=0.9",
  json: "application/sparql-results+json, application/ld+json;q=0.9",
  xml: "application/sparql-results+xml, application/rdf+xml;q=0.9",
  csv: "text/csv, application/n-triples;q=0.9",
  tsv: "text/tab-separated-values, application/n-triples;q=0.9",
};
const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long", "short",
  "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
  "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map((t) => XSD + t));
const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS",
  "GRAPH", "BIND", "VALUES", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "ASK",
  "CONSTRUCT", "DESCRIBE", "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT",
  "STR", "LANG", "LANGMATCHES", "REGEX", "CONTAINS", "STRSTARTS", "LCASE", "UCASE",
  "COALESCE", "EXISTS", "NOT EXISTS", "IF", "BOUND", "ISIRI", "ISLITERAL", "DESC", "ASC",
  "PREFIX", "BASE", "AS", "IN", "NOT IN"];
const EXTENSIONS = {
  "application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
  "text/csv": "csv", "text/tab-separated-values": "tsv", "text/turtle": "ttl",
  "application/n-triples": "nt", "application/ld+json": "jsonld", "application/rdf+xml": "rdf",
};
const LABEL_BATCH = 40;      // IRIs per /terms?iri=... request
const MAX_LABELLED = 2000;   // labels looked up for at most this many IRIs of one answer
const MAX_BARS = 60;

let PREFIXES = {};           // prefix name -> namespace IRI (the server's graph/prefixes.py)
let editor = null;           // the CodeMirror view, when the bundle loaded
let lastAnswer = null;       // {data} (SPARQL JSON) or {text, type} of the answer shown
const labelCache = new Map(); // IRI -> term from /terms (or null when the graph has none)

// -- small helpers ------------------------------------------------------------------------------

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

// The short id of an IRI: its prefixed name with the longest matching project namespace,
// or the IRI itself (the same rule as graph.lookup.short_id on the server).
function shortId(iri) {
  let best = null;
  for (const [name, ns] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns) && (best === null || ns.length > PREFIXES[best].length)) best = name;
  }
  return best === null ? iri : best + ":" + iri.slice(PREFIXES[best].length);
}

// The entity page of an IRI (relative, so the page works behind a path prefix), or null for
// an IRI outside the project's namespaces.
function entityHref(iri) {
  const id = shortId(iri);
  if (id === iri) return null;
  return "entity/" + encodeURIComponent(id).replace(/%3A/g, ":");
}

function getQuery() {
  return editor ? editor.state.doc.toString() : document.getElementById("query").value;
}

function setQuery(text) {
  document.getElementById("query").value = text;
  if (editor) {
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  }
}

// -- the editor ---------------------------------------------------------------------------------

async function fetchJson(url, signal) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, signal });
  if (!response.ok) throw new Error("HTTP " + response.status);
  return response.json();
}

const termCache = new Map();  // typed text -> terms

// Terms for typed text (classes: only entities of one of these classes, with subclasses).
async function termsFor(text, signal, classes) {
  const params = new URLSearchParams({ q: text, limit: "30" });
  (classes || []).forEach((c) => params.append("class", c));
  const key = params.toString();
  if (!termCache.has(key)) {
    const terms = await fetchJson("terms?" + key, signal);
    if (termCache.size > 500) termCache.clear();
    termCache.set(key, terms);
  }
  return termCache.get(key);
}

const TERM_TYPES = { class: "class", property: "property", entity: "variable" };

// Completion: prefixes (tk -> tkg:), keywords, and the graph's terms from /terms: by short id
// (tkg:Fl -> tkg:Flow) or by label (Mal -> place:MLI, shown as "Mali").
async function completeTerms(context) {
  const word = context.matchBefore(/[A-Za-z_][\w.-]*:[^\s{}()<>,;'"\\^|]*|[A-Za-z_][\w-]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const before = context.state.sliceDoc(Math.max(0, word.from - 1), word.from);
  if (before === "?" || before === "$" || before === "<" || before === "@") return null;
  const node = CM.syntaxTree(context.state).resolveInner(context.pos, -1);
  for (let n = node; n; n = n.parent) {
    if (n.name === "String" || n.name === "Comment") return null;
  }
  const text = word.text;
  const options = [];
  if (!text.includes(":")) {
    const lower = text.toLowerCase();
    for (const [name, ns] of Object.entries(PREFIXES)) {
      if (name.startsWith(lower)) {
        options.push({ label: name + ":", type: "namespace", detail: ns, boost: 2 });
      }
    }
    for (const keyword of KEYWORDS) {
      if (keyword.toLowerCase().startsWith(lower) && lower.length > 0) {
        options.push({ label: keyword, type: "keyword", boost: 1 });
      }
    }
  }
  if (text.length >= 2 || text.includes(":")) {
    let terms = [];
    try {
      const controller = new AbortController();
      context.addEventListener("abort", () => controller.abort());
      terms = await termsFor(text, controller.signal);
    } catch (err) {
      terms = [];
    }
    if (context.aborted) return null;
    const byId = text.includes(":");
    // After "a" a class is wanted; after ";" a property: those come first.
    const line = context.state.doc.lineAt(word.from);
    const lead = context.state.sliceDoc(line.from, word.from);
    const wanted = /(^|[\s;{.])a\s+$/.test(lead) ? "class"
      : /;\s*$/.test(lead) ? "property" : null;
    terms.forEach((term, i) => {
      const insert = term.id === term.iri ? "<" + term.iri + ">" : term.id;
      const kind = term.type || term.kind;
      options.push({
        label: byId ? term.id : term.label,
        apply: insert,
        detail: byId ? term.label + " · " + kind : term.id + " · " + kind,
        type: TERM_TYPES[term.kind] || "text",
        boost: -1 - i / 1000 + (term.kind === wanted ? 0.5 : 0),
      });
    });
  }
  if (!options.length) return null;
  // With filter: false CodeMirror keeps the order given (it ignores boost): sort here.
  options.sort((a, b) => b.boost - a.boost);
  return { from: word.from, options, filter: false };
}

// The IRI a prefixed name (with the project prefixes) or an <IRI> in the query stands for.
function iriOf(text) {
  if (text.startsWith("<")) return text.endsWith(">") ? text.slice(1, -1) : null;
  const colon = text.indexOf(":");
  const ns = PREFIXES[text.slice(0, colon)];
  return ns === undefined ? null : ns + text.slice(colon + 1);
}

async function termOf(iri) {
  if (!labelCache.has(iri)) {
    const terms = await fetchJson("terms?" + new URLSearchParams({ iri }));
    labelCache.set(iri, terms[0] || null);
  }
  return labelCache.get(iri);
}

// Hovering a term of the query shows what it is: its label, kind and alternative labels.
function termTooltip(view, pos) {
  const line = view.state.doc.lineAt(pos);
  const names = /<[^\s<>]*>|[A-Za-z_][\w.-]*:[^\s{}()<>,;'"\\^|]*/g;
  for (const match of line.text.matchAll(names)) {
    const text = match[0].replace(/\.+$/, "");
    const from = line.from + match.index;
    if (pos < from || pos > from + text.length) continue;
    const iri = iriOf(text);
    if (!iri) return null;
    return termOf(iri).then((term) => term && {
      pos: from,
      end: from + text.length,
      above: true,
      create() {
        const dom = el("div", null, "term-tip");
        dom.appendChild(el("strong", term.label));
        dom.appendChild(el("span", " " + (term.type || term.kind), "term-meta"));
        if (term.aliases && term.aliases.length) {
          dom.appendChild(el("div", "also: " + term.aliases.slice(0, 5).join(", "), "term-meta"));
        }
        return { dom };
      },
    }).catch(() => null);
  }
  return null;
}

function mountEditor() {
  const host = document.getElementById("editor");
  const textarea = document.getElementById("query");
  if (typeof CM === "undefined") {
    host.remove();
    return;  // the plain textarea stays
  }
  const run = () => { runQuery(); return true; };
  editor = new CM.EditorView({
    parent: host,
    state: CM.EditorState.create({
      doc: textarea.value,
      extensions: [
        CM.Prec.highest(CM.keymap.of([{ key: "Mod-Enter", run }])),
        CM.basicSetup,
        CM.sparql(),
        CM.SparqlLanguage.data.of({ autocomplete: completeTerms }),
        CM.syntaxHighlighting(CM.classHighlighter),
        CM.hoverTooltip(termTooltip),
        CM.EditorView.cspNonce.of(host.dataset.nonce || ""),
        CM.EditorView.lineWrapping,
        CM.EditorView.contentAttributes.of({
          "aria-labelledby": "query-label", "aria-describedby": "editor-help",
        }),
        CM.EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.hidden = true;
  window.tkgEditor = editor;  // for tests and the browser console
  document.getElementById("query-label").addEventListener("click", () => editor.focus());
}

// -- answers ------------------------------------------------------------------------------------

function literalMeta(term) {
  if (term["xml:lang"]) return "@" + term["xml:lang"];
  if (term.datatype && !term.datatype.endsWith("#string")) {
    return term.datatype.startsWith(XSD) ? "xsd:" + term.datatype.slice(XSD.length)
      : shortId(term.datatype);
  }
  return "";
}

function termCell(term) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    const href = entityHref(term.value);
    const id = shortId(term.value);
    const link = el(href ? "a" : "span", id, "term-uri");
    if (href) link.href = href;
    link.title = term.value;
    link.dataset.iri = term.value;
    td.appendChild(link);
  } else if (term.type === "bnode") {
    td.appendChild(el("span", "_:" + term.value, "term-meta"));
  } else if (term.type === "triple") {
    td.appendChild(el("span", "<< triple >>", "term-meta"));
  } else {
    td.appendChild(el("span", term.value));
    const meta = literalMeta(term);
    if (meta) td.appendChild(el("span", " " + meta, "term-meta"));
  }
  return td;
}

// Labels for the IRIs of an answer, from /terms?iri=..., written into the links once known.
async function addLabels(container) {
  const links = [...container.querySelectorAll("[data-iri]")];
  const wanted = [...new Set(links.map((a) => a.dataset.iri))]
    .filter((iri) => !labelCache.has(iri)).slice(0, MAX_LABELLED);
  for (let i = 0; i < wanted.length; i += LABEL_BATCH) {
    const batch = wanted.slice(i, i + LABEL_BATCH);
    const params = new URLSearchParams();
    batch.forEach((iri) => params.append("iri", iri));
    let terms = [];
    try {
      terms = await fetchJson("terms?" + params.toString());
    } catch (err) {
      return;  // labels are a convenience; the short ids stay
    }
    batch.forEach((iri) => labelCache.set(iri, null));
    terms.forEach((term) => labelCache.set(term.iri, term));
  }
  links.forEach((link) => {
    const term = labelCache.get(link.dataset.iri);
    if (!term || !term.label || link.dataset.labelled) return;
    link.dataset.labelled = "1";
    const id = link.textContent;
    link.textContent = term.label;
    link.after(el("span", " " + id, "term-id"));
  });
  if (lastAnswer && lastAnswer.data) drawChart(lastAnswer.data);
}

function showTable(data) {
  const results = document.getElementById("results");
  results.replaceChildren();
  if ("boolean" in data) {
    results.appendChild(el("pre", data.boolean ? "true" : "false"));
    return 1;
  }
  const vars = data.head.vars || [];
  const table = el("table");
  const head = el("tr");
  vars.forEach((v) => {
    const th = el("th", "?" + v);
    th.scope = "col";
    head.appendChild(th);
  });
  table.appendChild(el("thead")).appendChild(head);
  const body = table.appendChild(el("tbody"));
  data.results.bindings.forEach((row) => {
    const tr = el("tr");
    vars.forEach((v) => tr.appendChild(termCell(row[v])));
    body.appendChild(tr);
  });
  results.appendChild(table);
  addLabels(results);
  return data.results.bindings.length;
}

function showText(text) {
  document.getElementById("results").replaceChildren(el("pre", text));
}

// -- chart --------------------------------------------------------------------------------------

function isNumeric(term) {
  return term && term.type === "literal" && NUMERIC.has(term.datatype) &&
    Number.isFinite(Number(term.value));
}

// The columns a bar chart shows: the first whose values are all numbers and the first other
// one (the bars' labels), or null when the answer has no such pair.
function chartColumns(data) {
  if (!data.head || !data.results || !data.results.bindings.length) return null;
  const rows = data.results.bindings;
  const vars = data.head.vars || [];
  const numeric = vars.filter((v) => rows.some((r) => r[v]) &&
    rows.every((r) => !r[v] || isNumeric(r[v])));
  const value = numeric[0];
  const label = vars.find((v) => !numeric.includes(v) && rows.some((r) => r[v]));
  return value && label ? { label, value } : null;
}

function termLabel(term) {
  if (!term) return "";
  if (term.type === "uri") {
    const known = labelCache.get(term.value);
    return known && known.label ? known.label : shortId(term.value);
  }
  return term.value;
}

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, String(value));
  }
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function drawChart(data) {
  const chart = document.getElementById("chart");
  const columns = chartColumns(data);
  document.getElementById("show-chart").disabled = !columns;
  if (!columns) {
    chart.replaceChildren();
    if (!chart.hidden) showView("table");
    return;
  }
  const rows = data.results.bindings.filter((r) => r[columns.value]).slice(0, MAX_BARS);
  const values = rows.map((r) => Number(r[columns.value].value));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  // Drawn at the width it is shown at (a phone's or a laptop's), one SVG unit a CSS pixel.
  const room = chart.parentElement.clientWidth || 770;
  const width = Math.max(300, Math.min(room - 2, 900));
  const labelWidth = Math.round(Math.min(220, width * 0.36));
  const barArea = width - labelWidth - 50;
  const chars = Math.max(8, Math.floor(labelWidth / 7));
  const rowHeight = 22, top = 24;
  const height = top + rows.length * rowHeight + 8;
  const zero = labelWidth + ((0 - min) / span) * barArea;
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, width, role: "img", class: "bar-chart",
    "aria-label": `Bar chart of ?${columns.value} by ?${columns.label}`,
  });
  root.appendChild(svg("title", {}, `?${columns.value} by ?${columns.label}`));
  root.appendChild(svg("text", { x: labelWidth, y: 14, class: "axis" },
    `?${columns.value} (${rows.length} of ${data.results.bindings.length} rows)`));
  rows.forEach((row, i) => {
    const value = values[i];
    const y = top + i * rowHeight;
    const x = value >= 0 ? zero : zero - ((0 - value) / span) * barArea;
    const w = Math.max(1, (Math.abs(value) / span) * barArea);
    const group = svg("g", { class: "bar" });
    const name = termLabel(row[columns.label]);
    group.appendChild(svg("title", {}, `${name}: ${row[columns.value].value}`));
    group.appendChild(svg("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end" },
      name.length > chars ? name.slice(0, chars - 1) + "…" : name));
    group.appendChild(svg("rect", { x, y: y + 3, width: w, height: rowHeight - 6 }));
    group.appendChild(svg("text", { x: x + w + 4, y: y + 15, class: "value" },
      row[columns.value].value));
    root.appendChild(group);
  });
  root.appendChild(svg("line", { x1: zero, x2: zero, y1: top, y2: height - 4, class: "zero" }));
  chart.replaceChildren(root);
}

function showView(which) {
  const table = which === "table";
  if (!table && lastAnswer && lastAnswer.data) {
    document.getElementById("chart").hidden = false;
    drawChart(lastAnswer.data);  // at the width it now has
  }
  document.getElementById("results").hidden = !table;
  document.getElementById("chart").hidden = table;
  document.getElementById("show-table").setAttribute("aria-pressed", String(table));
  document.getElementById("show-chart").setAttribute("aria-pressed", String(!table));
}

// -- downloads ----------------------------------------------------------------------------------

function csvField(text) {
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

// SPARQL 1.1 CSV results: a header of variable names, then the values (IRIs as IRIs,
// literals by their lexical form, blank nodes as _:label).
function toCsv(data) {
  if ("boolean" in data) return "boolean\r\n" + String(data.boolean) + "\r\n";
  const vars = data.head.vars || [];
  const lines = [vars.map(csvField).join(",")];
  data.results.bindings.forEach((row) => {
    lines.push(vars.map((v) => {
      const term = row[v];
      if (!term) return "";
      return csvField(term.type === "bnode" ? "_:" + term.value : term.value);
    }).join(","));
  });
  return lines.join("\r\n") + "\r\n";
}

function download(text, type, name) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function downloadAnswer(kind) {
  if (!lastAnswer) return;
  if (lastAnswer.data) {
    if (kind === "csv") download(toCsv(lastAnswer.data), "text/csv", "results.csv");
    else download(JSON.stringify(lastAnswer.data, null, 2), "application/sparql-results+json",
      "results.json");
  } else {
    const type = lastAnswer.type || "text/plain";
    download(lastAnswer.text, type, "results." + (EXTENSIONS[type] || "txt"));
  }
}

// -- running ------------------------------------------------------------------------------------

// Shows an answer (a fetch Response) in the chosen format; returns the status line.
async function showAnswer(response, format, started) {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const text = await response.text();
  const bar = document.getElementById("result-bar");
  if (!response.ok) {
    showText(text);
    bar.hidden = true;
    lastAnswer = null;
    setStatus("HTTP " + response.status + " after " + seconds + " s", true);
    return;
  }
  const type = (response.headers.get("Content-Type") || "").split(";")[0];
  let count = response.headers.get("X-TKG-Rows");
  showView("table");
  if (format === "table" && type === "application/sparql-results+json") {
    const data = JSON.parse(text);
    lastAnswer = { data };
    count = showTable(data);
    drawChart(data);
  } else {
    lastAnswer = { text, type };
    showText(text);
    document.getElementById("show-chart").disabled = true;
  }
  bar.hidden = false;
  document.getElementById("download-csv").hidden = !(lastAnswer.data && !("boolean" in lastAnswer.data));
  document.getElementById("download-json").textContent = lastAnswer.data ? "Download JSON"
    : "Download";
  let note = (count === null ? "" : count + " rows, ") + seconds + " s";
  if (response.headers.get("X-TKG-Truncated")) note += " (cut at the row limit)";
  setStatus(note, false);
}

async function request(url, options, format) {
  setStatus("running…", false);
  const started = performance.now();
  let response;
  try {
    response = await fetch(url, options);
  } catch (err) {
    setStatus("request failed: " + err, true);
    return;
  }
  await showAnswer(response, format, started);
}

function runQuery() {
  const format = document.getElementById("format").value;
  return request(ENDPOINT, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "Accept": RESULT_TYPES[format],
    },
    body: new URLSearchParams({ query: getQuery() }).toString(),
  }, format);
}

// -- named queries ------------------------------------------------------------------------------

function parameterForm(q) {
  const form = el("form", null, "query-params");
  form.id = "form-" + q.name;
  form.setAttribute("aria-label", "Parameters of " + q.name);
  form.dataset.query = q.name;
  (q.parameters || []).forEach((p) => {
    const id = "param-" + q.name + "-" + p.name;
    const label = el("label", p.name + (p.required ? " *" : ""));
    label.htmlFor = id;
    label.title = p.description || "";
    const input = el("input");
    input.id = id;
    input.name = p.name;
    input.value = (q.example_values || {})[p.name] || "";
    input.placeholder = p.example || p.type;
    input.required = Boolean(p.required);
    input.title = (p.description || "") + (p.type ? " (" + p.type + ")" : "");
    form.appendChild(label);
    form.appendChild(input);
    if (p.type === "entity") suggestNames(input, form, p.classes || []);
  });
  if (!(q.parameters || []).length) form.appendChild(el("p", "No parameters.", "hint"));
  const submit = el("button", "Run " + q.name);
  submit.type = "submit";
  form.appendChild(submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runNamed(q.name, form);
  });
  return form;
}

// An entity parameter takes a name: suggest the labels of its classes' instances as the user
// types.
function suggestNames(input, form, classes) {
  const list = el("datalist");
  list.id = input.id + "-names";
  input.setAttribute("list", list.id);
  input.autocomplete = "off";
  form.appendChild(list);
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) return;
    timer = setTimeout(async () => {
      let terms = [];
      try {
        terms = await termsFor(text, undefined, classes);
      } catch (err) {
        return;
      }
      list.replaceChildren(...terms.filter((t) => t.kind === "entity").map((t) => {
        const option = el("option");
        option.value = t.label;
        option.label = t.type || t.id;
        return option;
      }));
    }, 150);
  });
}

function runNamed(name, form) {
  const params = new URLSearchParams();
  for (const input of form.querySelectorAll("input")) {
    if (input.value.trim()) params.append(input.name, input.value.trim());
  }
  const format = document.getElementById("format").value;
  const query = params.toString();
  return request("queries/" + encodeURIComponent(name) + (query ? "?" + query : ""),
    { headers: { Accept: RESULT_TYPES[format] } }, format);
}

async function loadNamedQueries() {
  const list = document.getElementById("named-queries");
  try {
    const queries = await fetchJson("queries");
    list.replaceChildren();
    queries.forEach((q) => {
      const item = el("li");
      const button = el("button");
      button.type = "button";
      button.className = "named";
      button.setAttribute("aria-expanded", "false");
      button.appendChild(el("strong", q.name));
      const values = Object.entries(q.example_values || {})
        .map(([k, v]) => k + "=" + v).join(", ");
      button.appendChild(el("span", q.summary + (values ? " (" + values + ")" : ""), "summary"));
      const form = parameterForm(q);
      form.hidden = true;
      button.setAttribute("aria-controls", form.id);
      button.addEventListener("click", () => {
        setQuery(q.example);
        form.hidden = false;
        button.setAttribute("aria-expanded", "true");
        runNamed(q.name, form);
      });
      item.appendChild(button);
      item.appendChild(form);
      list.appendChild(item);
    });
  } catch (err) {
    list.replaceChildren(el("li", "named queries unavailable: " + err.message, "hint"));
  }
}

// -- start --------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  const host = document.getElementById("editor");
  try {
    PREFIXES = JSON.parse(host.dataset.prefixes || "{}");
  } catch (err) {
    PREFIXES = {};
  }
  document.getElementById("prefix-note").textContent = "Predeclared prefixes: " +
    Object.keys(PREFIXES).map((p) => p + ":").join(" ");
  mountEditor();
  document.getElementById("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runQuery();
  });
  document.getElementById("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runQuery();
    }
  });
  document.getElementById("show-table").addEventListener("click", () => showView("table"));
  document.getElementById("show-chart").addEventListener("click", () => showView("chart"));
  document.getElementById("download-csv").addEventListener("click", () => downloadAnswer("csv"));
  document.getElementById("download-json").addEventListener("click", () => downloadAnswer("json"));
  document.getElementById("endpoint").textContent = new URL(ENDPOINT, document.baseURI).href;
  loadNamedQueries();
  // The server builds its term list on the first /terms request: ask now, not at the first
  // keystroke (an empty q answers []).
  fetchJson("terms?q=").catch(() => {});
});
