/* Draws one view of the Trafficking Knowledge Graph with vis-network.
 *
 * The data comes from the JSON element #tkg-data (written by graph/views/page.py). Every
 * string from it reaches the page through textContent or an SVG attribute, never as HTML,
 * and vis-network gets no `title` so that it renders no HTML tooltips of its own: the
 * tooltips below are built from DOM nodes. Positions are precomputed; physics is off.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tkg-data").textContent);
  var legend = data.legend;
  var container = document.getElementById("tkg-net");
  var panel = document.getElementById("tkg-panel");
  var tip = document.getElementById("tkg-tip");
  var SVG = "http://www.w3.org/2000/svg";
  var big = data.nodes.length > 1500 || data.edges.length > 3000;
  var view = { data: data, firstDraw: null, network: null, marks: { parsed: performance.now() } };
  window.tkgView = view;

  // ---------------------------------------------------------------- helpers (text only)
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }
  function period(c) {
    if (c.start == null && c.end == null) return "";
    if (c.start != null && c.end != null && c.start !== c.end) return c.start + "\u2013" + c.end;
    if (c.start != null && c.end == null) return "from " + c.start;
    if (c.start == null) return "until " + c.end;
    return String(c.start);
  }

  // ---------------------------------------------------------------- filter state
  var state = {
    groups: legend.groups.map(function () { return true; }),
    grades: legend.grades.map(function () { return true; }),
    from: data.period ? data.period.min : null,
    to: data.period ? data.period.max : null,
    undated: true
  };
  function claimVisible(c) {
    if (!state.groups[c.group] || !state.grades[c.cert]) return false;
    if (c.start == null && c.end == null) return state.undated;
    var start = c.start != null ? c.start : c.end, end = c.end != null ? c.end : c.start;
    return !(state.from != null && end < state.from) && !(state.to != null && start > state.to);
  }

  // ---------------------------------------------------------------- vis data
  // Positions are in pixels of the full-size map; a map wider than the window is shown
  // zoomed out, so sizes are scaled up by `grow` to stay readable at the first fit.
  var grow = 1, maxSize = Infinity, labelGrow = 1;
  if (data.nodes.length > 1) {
    var spanX = Math.max.apply(null, data.nodes.map(function (n) { return n.x; })) -
      Math.min.apply(null, data.nodes.map(function (n) { return n.x; }));
    var spanY = Math.max.apply(null, data.nodes.map(function (n) { return n.y; })) -
      Math.min.apply(null, data.nodes.map(function (n) { return n.y; }));
    var fitScale = Math.min((container.clientWidth || 800) / (spanX + 1),
                            (container.clientHeight || 600) / (spanY + 1)) * 0.85;
    grow = fitScale < 1 ? Math.min(1 / fitScale, big ? 12 : 5) : 1;
    // Dense views: keep nodes smaller than the typical distance between neighbours.
    var room = Math.sqrt((spanX + 1) * (spanY + 1) / data.nodes.length);
    maxSize = Math.max(0.3 * room, 2 * grow);
    // Labels grow with the map only while they have room; else they show once zoomed in.
    labelGrow = room * Math.min(fitScale, 1) >= 40 ? grow : 1;
  }
  function width(edge, count) {
    var w = edge.kind === "flow" ? Math.min(1.5 * count, 12) : (edge.kind === "relation" ? 2 : 1);
    return w * grow;
  }
  // Per-item options are kept to the minimum (vis-network merges each item's options with
  // the defaults, which dominates the set-up time of large views); node looks are groups.
  function visEdge(edge, count) {
    var item = { id: edge.id, from: edge.from, to: edge.to,
                 color: legend.groups[edge.group].colour, width: width(edge, count) };
    var dashes = legend.grades[edge.cert].dashes;
    if (dashes) item.dashes = dashes.map(function (d) { return d * grow; });
    if (edge.kind === "involvement") item.arrows = { to: { enabled: false } };
    if (edge.bend) item.smooth = { enabled: true, type: "curvedCW", roundness: 0.12 * edge.bend };
    if (count === 0) item.hidden = true;
    return item;
  }
  function visNode(node) {
    return { id: node.id, label: node.label, x: node.x, y: node.y, group: "k" + node.kind,
             size: Math.min(Math.min(7 + 2.2 * Math.sqrt(node.weight), 22) * grow, maxSize) };
  }
  var groups = {};
  legend.kinds.forEach(function (kind, i) {
    groups["k" + i] = {
      shape: kind.shape,
      color: { background: kind.colour, border: "#ffffff",
               highlight: { background: kind.colour, border: "#1d2733" },
               hover: { background: kind.colour, border: "#1d2733" } }
    };
  });
  var counts = data.edges.map(function (e) { return e.claims.length; });
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(function (e, i) { return visEdge(e, counts[i]); }));
  var options = {
    physics: false,
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false },
    groups: groups,
    nodes: { borderWidth: Math.min(grow, maxSize / 6),
             font: { size: 12 * labelGrow, color: "#1d2733", strokeWidth: 3 * labelGrow,
                     strokeColor: "#ffffff" } },
    edges: { selectionWidth: 1.5, hoverWidth: 0.8, smooth: false, color: { opacity: 0.85 },
             arrows: { to: { enabled: true, scaleFactor: 0.45 } } }
  };
  view.marks.datasets = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  view.network = network;
  view.marks.network = performance.now();
  network.once("afterDrawing", function () {
    view.firstDraw = performance.now();
    document.body.setAttribute("data-drawn", "true");
  });

  // ---------------------------------------------------------------- map grid (geo layout)
  if (data.layout === "geo" && data.nodes.length) {
    var s = data.scale;
    network.on("beforeDrawing", function (ctx) {
      var px = 1 / network.getScale();
      var tl = network.DOMtoCanvas({ x: 0, y: 0 });
      var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
      var span = (br.x - tl.x) / s;
      var step = span > 150 ? 30 : span > 60 ? 10 : span > 20 ? 5 : span > 8 ? 2 : 1;
      var lon0 = Math.max(-180, Math.floor(tl.x / s / step) * step);
      var lon1 = Math.min(180, Math.ceil(br.x / s / step) * step);
      var lat0 = Math.max(-90, Math.floor(-br.y / s / step) * step);
      var lat1 = Math.min(90, Math.ceil(-tl.y / s / step) * step);
      var lon, lat;
      ctx.save();
      ctx.strokeStyle = "#e3e8ee";
      ctx.fillStyle = "#9aa5b1";
      ctx.lineWidth = px;
      ctx.font = (10 * px) + "px sans-serif";
      for (lon = lon0; lon <= lon1; lon += step) {
        ctx.beginPath(); ctx.moveTo(lon * s, -lat1 * s); ctx.lineTo(lon * s, -lat0 * s); ctx.stroke();
        ctx.fillText(Math.abs(lon) + "\u00b0" + (lon < 0 ? "W" : lon > 0 ? "E" : ""),
                     lon * s + 3 * px, br.y - 4 * px);
      }
      for (lat = lat0; lat <= lat1; lat += step) {
        ctx.beginPath(); ctx.moveTo(lon0 * s, -lat * s); ctx.lineTo(lon1 * s, -lat * s); ctx.stroke();
        ctx.fillText(Math.abs(lat) + "\u00b0" + (lat < 0 ? "S" : lat > 0 ? "N" : ""),
                     tl.x + 4 * px, -lat * s - 3 * px);
      }
      ctx.restore();
    });
  }
  network.fit({ animation: false });
  if (!data.nodes.length) container.appendChild(el("div", null, "Nothing to draw: no claims match this selection."))
    .id = "tkg-empty";

  // ---------------------------------------------------------------- tooltips (DOM only)
  var pinned = false;
  function claimBlock(c) {
    var block = el("div", "claim");
    block.appendChild(el("strong", null, c.label));
    if (c.description) block.appendChild(el("div", "description", c.description));
    var meta = [];
    if (c.commodity) meta.push((c.kind === "flow" ? "Commodity: " : "Relation: ") + c.commodity);
    meta.push("Certainty: " + legend.grades[c.cert].label);
    if (period(c)) meta.push("Period: " + period(c));
    block.appendChild(el("div", "meta", meta.join(" \u00b7 ")));
    if (c.route) block.appendChild(el("div", "meta", "Places: " + c.route));
    if (c.actors.length) {
      block.appendChild(el("div", "meta", "Actors: " + c.actors.map(function (a) {
        return a[0] + (a[2] ? " (" + a[2] + ")" : "");
      }).join("; ")));
    }
    c.sources.forEach(function (src) {
      var where = [src[0]];
      if (src[1]) where.push("section \u201c" + src[1] + "\u201d");
      if (src[2]) where.push("paragraph " + src[2]);
      block.appendChild(el("div", "source", "Source: " + where.join(", ")));
    });
    return block;
  }
  function ownVisible(node) {
    return node.claims.map(function (i) { return data.claims[i]; }).filter(function (c) {
      return state.groups[c.group] && claimVisible(c);
    });
  }
  function fillNode(id) {
    var node = data.nodes[id];
    tip.replaceChildren(el("strong", null, node.label), el("div", "type", node.type));
    node.info.forEach(function (row) { tip.appendChild(el("div", "meta", row[0] + ": " + row[1])); });
    tip.appendChild(el("div", "meta", node.weight + (node.weight === 1 ? " claim" : " claims") +
                                      " in this view"));
    var own = ownVisible(node);
    if (own.length) {
      tip.appendChild(el("div", "more", "Flows named here without a mapped route:"));
      own.slice(0, 8).forEach(function (c) { tip.appendChild(claimBlock(c)); });
      if (own.length > 8) tip.appendChild(el("div", "more", "and " + (own.length - 8) + " more"));
    }
  }
  function fillEdge(id) {
    var edge = data.edges[id];
    var head = data.nodes[edge.from].label + (edge.kind === "involvement" ? " \u2014 " : " \u2192 ") +
      data.nodes[edge.to].label;
    tip.replaceChildren(el("strong", null, head),
                        el("div", "type", legend.groups[edge.group].label));
    var shown = edge.claims.map(function (i) { return data.claims[i]; }).filter(claimVisible);
    shown.slice(0, 8).forEach(function (c) { tip.appendChild(claimBlock(c)); });
    if (shown.length > 8) tip.appendChild(el("div", "more", "and " + (shown.length - 8) + " more"));
  }
  function place(pointer) {
    tip.hidden = false;
    var x = pointer.x + 14, y = pointer.y + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > container.clientWidth) x = Math.max(0, pointer.x - w - 14);
    if (y + h > container.clientHeight) y = Math.max(0, container.clientHeight - h - 4);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hide() { if (!pinned) tip.hidden = true; }
  network.on("hoverNode", function (p) { if (!pinned) { fillNode(p.node); place(p.pointer.DOM); } });
  network.on("hoverEdge", function (p) { if (!pinned) { fillEdge(p.edge); place(p.pointer.DOM); } });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", function () { pinned = false; tip.classList.remove("pinned"); hide(); });
  network.on("click", function (p) {
    pinned = false;
    tip.classList.remove("pinned");
    if (p.nodes.length) fillNode(p.nodes[0]);
    else if (p.edges.length) fillEdge(p.edges[0]);
    else { hide(); return; }
    place(p.pointer.DOM);
    pinned = true;
    tip.classList.add("pinned");
  });

  // ---------------------------------------------------------------- filters
  function apply() {
    var edgeChanges = [], seen = {};
    data.edges.forEach(function (edge, i) {
      var count = 0;
      if (state.groups[edge.group]) {
        edge.claims.forEach(function (c) { if (claimVisible(data.claims[c])) count++; });
      }
      if (count !== counts[i]) {
        counts[i] = count;
        edgeChanges.push({ id: edge.id, hidden: count === 0, width: width(edge, count) });
      }
      if (count) { seen[edge.from] = true; seen[edge.to] = true; }
    });
    edges.update(edgeChanges);
    nodes.update(data.nodes.filter(function (n) { return n.weight > 0; }).map(function (n) {
      return { id: n.id, hidden: !seen[n.id] && !ownVisible(n).length };
    }));
    shownCount.textContent = summary();
  }
  function summary() {
    var flows = 0, other = 0;
    data.claims.forEach(function (c) {
      if (claimVisible(c)) { if (c.kind === "flow") flows++; else other++; }
    });
    return data.nodes.length + (data.nodes.length === 1 ? " node, " : " nodes, ") + flows +
      (flows === 1 ? " flow" : " flows") + (other ? ", " + other + " other claims" : "") + " shown";
  }
  function lineSample(colour, dashes) {
    var pic = svg("svg", { width: 30, height: 10, "aria-hidden": "true" });
    var line = svg("line", { x1: 1, y1: 5, x2: 29, y2: 5, stroke: colour, "stroke-width": 3 });
    if (dashes) line.setAttribute("stroke-dasharray", dashes.map(function (d) { return d / 2; }).join(" "));
    pic.appendChild(line);
    return pic;
  }
  function shapeSample(shape, colour) {
    var pic = svg("svg", { width: 14, height: 14, "aria-hidden": "true" }), mark;
    var points = {
      triangle: "7,1 13,12 1,12", triangleDown: "1,2 13,2 7,13", diamond: "7,1 13,7 7,13 1,7",
      star: "7,1 8.8,5.2 13,5.5 9.8,8.3 10.8,12.8 7,10.4 3.2,12.8 4.2,8.3 1,5.5 5.2,5.2",
      hexagon: "4,1.5 10,1.5 13,7 10,12.5 4,12.5 1,7"
    };
    if (shape === "square") mark = svg("rect", { x: 2, y: 2, width: 10, height: 10 });
    else if (points[shape]) mark = svg("polygon", { points: points[shape] });
    else mark = svg("circle", { cx: 7, cy: 7, r: 5.5 });
    mark.setAttribute("fill", colour);
    pic.appendChild(mark);
    return pic;
  }
  function toggle(list, i, label) {
    var input = el("input");
    input.type = "checkbox";
    input.checked = true;
    input.addEventListener("change", function () { list[i] = input.checked; apply(); });
    label.insertBefore(input, label.firstChild);
    return label;
  }
  function countBy(key) {
    // Claims drawn by the lines of each legend entry (a claim counts once per entry).
    var sets = {}, n = {};
    data.edges.forEach(function (edge) {
      var k = edge[key];
      sets[k] = sets[k] || {};
      edge.claims.forEach(function (c) { sets[k][c] = true; });
    });
    data.nodes.forEach(function (node) {
      node.claims.forEach(function (c) {
        var k = data.claims[c][key];
        sets[k] = sets[k] || {};
        sets[k][c] = true;
      });
    });
    Object.keys(sets).forEach(function (k) { n[k] = Object.keys(sets[k]).length; });
    return n;
  }

  var header = el("header");
  header.appendChild(el("h1", null, data.title));
  var fold = el("button", null, "\u2212");
  fold.type = "button";
  fold.title = "Fold the legend";
  fold.addEventListener("click", function () {
    document.body.classList.toggle("folded");
    fold.textContent = document.body.classList.contains("folded") ? "+" : "\u2212";
    network.setSize("100%", "100%");
    network.redraw();
  });
  header.appendChild(fold);
  panel.appendChild(header);
  var shownCount = el("p");
  panel.appendChild(shownCount);

  var byGroup = countBy("group"), byGrade = countBy("cert");
  if (legend.groups.length) {
    panel.appendChild(el("h2", null, "Commodity / line"));
    legend.groups.forEach(function (g, i) {
      var label = el("label");
      label.appendChild(lineSample(g.colour, false));
      label.appendChild(el("span", null, g.label));
      label.appendChild(el("span", "count", byGroup[i] || 0));
      panel.appendChild(toggle(state.groups, i, label));
    });
  }
  if (legend.grades.length) {
    panel.appendChild(el("h2", null, "Certainty"));
    legend.grades.forEach(function (g, i) {
      var label = el("label");
      label.appendChild(lineSample("#3d4752", g.dashes));
      label.appendChild(el("span", null, g.label));
      label.appendChild(el("span", "count", byGrade[i] || 0));
      panel.appendChild(toggle(state.grades, i, label));
    });
  }
  if (data.period) {
    panel.appendChild(el("h2", null, "Period"));
    var row = el("div", "period");
    function yearInput(key) {
      var input = el("input");
      input.type = "number";
      input.min = data.period.min;
      input.max = data.period.max;
      input.value = state[key];
      input.setAttribute("aria-label", key === "from" ? "from year" : "to year");
      input.addEventListener("input", function () {
        var v = parseInt(input.value, 10);
        state[key] = isNaN(v) ? null : v;
        apply();
      });
      return input;
    }
    row.appendChild(yearInput("from"));
    row.appendChild(el("span", null, "to"));
    row.appendChild(yearInput("to"));
    panel.appendChild(row);
    var undated = el("label");
    undated.appendChild(el("span", null, "claims without a period"));
    panel.appendChild(toggle(state, "undated", undated));
  }
  if (legend.kinds.length) {
    panel.appendChild(el("h2", null, "Nodes"));
    legend.kinds.forEach(function (k) {
      var label = el("label", "static");
      label.appendChild(shapeSample(k.shape, k.colour));
      label.appendChild(el("span", null, k.label));
      panel.appendChild(label);
    });
  }
  panel.appendChild(el("p", null, "Hover or click a line for its claims and sources; " +
                                  "line width counts claims, dashes mean less certain."));
  var fit = el("button", null, "Fit to window");
  fit.type = "button";
  fit.addEventListener("click", function () { network.fit({ animation: false }); });
  panel.appendChild(fit);
  shownCount.textContent = summary();
})();
