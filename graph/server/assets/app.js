// The query page: sends queries to the endpoint and shows the answers.
// Every string from the server goes into the page through textContent, never as HTML.
"use strict";

const ENDPOINT = "sparql";
const RESULT_TYPES = {
  table: "application/sparql-results+json, text/turtle;q=0.9",
  json: "application/sparql-results+json, application/ld+json;q=0.9",
  xml: "application/sparql-results+xml, application/rdf+xml;q=0.9",
  csv: "text/csv, application/n-triples;q=0.9",
  tsv: "text/tab-separated-values, application/n-triples;q=0.9",
};

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

function termText(term) {
  if (!term) return ["", ""];
  if (term.type === "uri") return [term.value, "uri"];
  if (term.type === "bnode") return ["_:" + term.value, "bnode"];
  if (term.type === "triple") return ["<< triple >>", "triple"];
  let meta = "";
  if (term["xml:lang"]) meta = "@" + term["xml:lang"];
  else if (term.datatype) meta = term.datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:");
  return [term.value, meta];
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
  vars.forEach((v) => head.appendChild(el("th", "?" + v)));
  table.appendChild(el("thead")).appendChild(head);
  const body = table.appendChild(el("tbody"));
  data.results.bindings.forEach((row) => {
    const tr = el("tr");
    vars.forEach((v) => {
      const [text, meta] = termText(row[v]);
      const td = el("td");
      td.appendChild(el("span", text, meta === "uri" ? "term-uri" : ""));
      if (meta && meta !== "uri") td.appendChild(el("span", " " + meta, "term-meta"));
      tr.appendChild(td);
    });
    body.appendChild(tr);
  });
  results.appendChild(table);
  return data.results.bindings.length;
}

function showText(text) {
  const results = document.getElementById("results");
  results.replaceChildren(el("pre", text));
}

function updateDownload() {
  const query = document.getElementById("query").value;
  const format = document.getElementById("format").value;
  const params = new URLSearchParams({ query: query });
  if (format !== "table") params.set("format", format);
  document.getElementById("download").href = ENDPOINT + "?" + params.toString();
}

async function runQuery() {
  const query = document.getElementById("query").value;
  const format = document.getElementById("format").value;
  setStatus("running…", false);
  const started = performance.now();
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": RESULT_TYPES[format],
      },
      body: new URLSearchParams({ query: query }).toString(),
    });
  } catch (err) {
    setStatus("request failed: " + err, true);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const text = await response.text();
  if (!response.ok) {
    showText(text);
    setStatus("HTTP " + response.status + " after " + seconds + " s", true);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  let count = response.headers.get("X-TKG-Rows");
  if (format === "table" && type.startsWith("application/sparql-results+json")) {
    count = showTable(JSON.parse(text));
  } else {
    showText(text);
  }
  let note = (count === null ? "" : count + " rows, ") + seconds + " s";
  if (response.headers.get("X-TKG-Truncated")) note += " (cut at the row limit)";
  setStatus(note, false);
}

async function loadNamedQueries() {
  const list = document.getElementById("named-queries");
  try {
    const response = await fetch("queries", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const queries = await response.json();
    list.replaceChildren();
    queries.forEach((q) => {
      const button = el("button");
      button.type = "button";
      button.appendChild(el("strong", q.name));
      const values = Object.entries(q.example_values || {})
        .map(([k, v]) => k + "=" + v).join(", ");
      button.appendChild(el("span", q.summary + (values ? " (" + values + ")" : ""), "summary"));
      button.addEventListener("click", () => {
        document.getElementById("query").value = q.example;
        updateDownload();
        runQuery();
      });
      const item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    });
  } catch (err) {
    list.replaceChildren(el("li", "named queries unavailable: " + err.message, "hint"));
  }
}

document.addEventListener("DOMContentLoaded", () => {
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
  document.getElementById("query").addEventListener("input", updateDownload);
  document.getElementById("format").addEventListener("change", updateDownload);
  document.getElementById("endpoint").textContent = new URL(ENDPOINT, document.baseURI).href;
  updateDownload();
  loadNamedQueries();
});
