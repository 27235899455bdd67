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

  // ---------------------------------------------------------------- projection and basemap
  // The same spherical Mercator as graph/views/layout.py: x = lon * scale, y from latitude.
  var s = data.scale, maxLat = data.maxLat || 80, DEG = 180 / Math.PI;
  var geo = data.layout === "geo";
  var DETAIL_AT = 12;  // screen pixels per degree from which the 1:50m outlines are drawn
  function project(lon, lat) {
    lat = Math.max(-maxLat, Math.min(maxLat, lat));
    return [lon * s, -s * DEG * Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))];
  }
  function unproject(y) { return (2 * Math.atan(Math.exp(-y / (s * DEG))) - Math.PI / 2) * DEG; }
  view.project = project;
  function readTopology(topo, keys) {
    var sx = topo.transform.scale[0], sy = topo.transform.scale[1];
    var tx = topo.transform.translate[0], ty = topo.transform.translate[1];
    var arcs = topo.arcs.map(function (flat) {
      var out = new Float64Array(flat.length), x = 0, y = 0, p;
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i]; y += flat[i + 1];
        p = project(x * sx + tx, y * sy + ty);
        out[i] = p[0]; out[i + 1] = p[1];
      }
      return out;
    });
    var owners = arcs.map(function () { return []; });
    var countries = topo.countries.map(function (c) {
      var path = new Path2D(), key = c.iso3 || c.name;
      c.polygons.forEach(function (polygon) {
        polygon.forEach(function (ring) {
          var first = true;
          ring.forEach(function (index) {
            var arc = arcs[index < 0 ? ~index : index], n = arc.length / 2, k, j;
            if (owners[index < 0 ? ~index : index].indexOf(key) < 0) owners[index < 0 ? ~index : index].push(key);
            for (k = 0; k < n; k++) {
              j = index < 0 ? n - 1 - k : k;
              if (first) { path.moveTo(arc[2 * j], arc[2 * j + 1]); first = false; }
              else if (k > 0) path.lineTo(arc[2 * j], arc[2 * j + 1]);
            }
          });
          path.closePath();
        });
      });
      var sw = project(c.bbox[0], c.bbox[1]), ne = project(c.bbox[2], c.bbox[3]);
      return { iso3: c.iso3, key: key, name: c.name, path: path,
               point: project(c.point[0], c.point[1]), box: [sw[0], ne[1], ne[0], sw[1]] };
    });
    function lines(test) {
      var path = new Path2D();
      arcs.forEach(function (arc, i) {
        if (!test(owners[i])) return;
        path.moveTo(arc[0], arc[1]);
        for (var k = 2; k < arc.length; k += 2) path.lineTo(arc[k], arc[k + 1]);
      });
      return path;
    }
    var layer = { countries: countries, owners: owners, arcs: arcs,
                  coast: lines(function (o) { return o.length === 1; }),
                  border: lines(function (o) { return o.length > 1; }), keys: {} };
    countries.forEach(function (c) { layer.keys[c.key] = true; });
    if (keys) {  // the world's lines outside the countries drawn in detail
      var outside = function (o) { return o.some(function (k) { return !keys[k]; }); };
      layer.coastOut = lines(function (o) { return o.length === 1 && outside(o); });
      layer.borderOut = lines(function (o) { return o.length > 1 && outside(o); });
    }
    return layer;
  }
  function readMap(basemap) {
    var detail = basemap.detail ? readTopology(basemap.detail, null) : null;
    var world = readTopology(basemap.world, detail ? detail.keys : null);
    var focus = {}, box = null, byCode = {};
    basemap.focus.forEach(function (code) { focus[code] = true; });
    world.countries.forEach(function (c) {
      byCode[c.iso3] = c;
      if (!focus[c.iso3]) return;
      box = box ? [Math.min(box[0], c.box[0]), Math.min(box[1], c.box[1]),
                   Math.max(box[2], c.box[2]), Math.max(box[3], c.box[3])] : c.box.slice();
    });
    // Neighbours: the countries sharing a stretch of border (an arc) with each country.
    var bordering = {};
    world.owners.forEach(function (o) {
      if (o.length < 2) return;
      o.forEach(function (k) {
        o.forEach(function (other) {
          if (other !== k && byCode[other]) (bordering[k] = bordering[k] || {})[other] = byCode[other];
        });
      });
    });
    var near = {};
    Object.keys(focus).forEach(function (code) {
      Object.keys(bordering[code] || {}).forEach(function (k) { if (!focus[k]) near[k] = byCode[k]; });
    });
    var areas = [];
    data.nodes.forEach(function (node) {
      if (!node.area) return;
      var inside = {};
      node.area.forEach(function (k) { inside[k] = true; });
      // The area's outline: the arcs with exactly one member country on them.
      var edge = new Path2D();
      world.owners.forEach(function (o, i) {
        if (o.filter(function (k) { return inside[k]; }).length !== 1) return;
        var arc = world.arcs[i];
        edge.moveTo(arc[0], arc[1]);
        for (var k = 2; k < arc.length; k += 2) edge.lineTo(arc[k], arc[k + 1]);
      });
      areas.push({ node: node.id, colour: legend.kinds[node.kind].colour, outline: edge,
                   members: node.area.map(function (k) { return byCode[k]; }).filter(Boolean) });
    });
    return { world: world, detail: detail, focus: focus, focusBox: box, areas: areas,
             bordering: bordering,
             neighbours: Object.keys(near).sort().map(function (k) { return near[k]; }) };
  }
  var map = geo && data.basemap ? readMap(data.basemap) : null;
  view.marks.map = performance.now();
  view.map = map;
  function isFocus(node) { return map && node.iso3 && map.focus[node.iso3] ? 1 : 0; }
  // Where the page opens: on the focus countries and the nearer ends of their flows, the
  // focus at least about 40 % of the window's width; far ends get stubs at the edge.
  function opening() {
    if (!map || !map.focusBox) return null;
    var f = map.focusBox, fw = f[2] - f[0], fh = f[3] - f[1];
    var cw = container.clientWidth || 800, ch = container.clientHeight || 600;
    var box = f.slice();
    var inFocus = {};
    data.nodes.forEach(function (n) {
      if (n.x >= f[0] && n.x <= f[2] && n.y >= f[1] && n.y <= f[3]) inFocus[n.id] = true;
    });
    data.edges.forEach(function (e) {
      if (!inFocus[e.from] && !inFocus[e.to]) return;
      [data.nodes[e.from], data.nodes[e.to]].forEach(function (n) {
        box = [Math.min(box[0], n.x), Math.min(box[1], n.y), Math.max(box[2], n.x), Math.max(box[3], n.y)];
      });
    });
    var w = Math.min(Math.max(box[2] - box[0], 1.3 * fw), 2.4 * fw);
    var h = Math.min(Math.max(box[3] - box[1], 1.3 * fh), 2.4 * fh);
    var scale = Math.min(cw / w, ch / h);
    scale = Math.max(scale, cw / (2.5 * fw));
    scale = Math.min(scale, cw / (1.15 * fw), ch / (1.15 * fh));
    // Centre between the focus and its flows' box, the focus kept whole inside the window.
    var W = cw / scale, H = ch / scale;
    var cx = ((f[0] + f[2]) / 2 + (box[0] + box[2]) / 2) / 2;
    var cy = ((f[1] + f[3]) / 2 + (box[1] + box[3]) / 2) / 2;
    cx = Math.min(Math.max(cx, f[2] + 0.05 * fw - W / 2), f[0] - 0.05 * fw + W / 2);
    cy = Math.min(Math.max(cy, f[3] + 0.05 * fh - H / 2), f[1] - 0.05 * fh + H / 2);
    return { position: { x: cx, y: cy }, scale: scale };
  }
  var open = opening();

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
  var grow = 1, maxSize = Infinity;
  if (data.nodes.length > 1) {
    var spanX = Math.max.apply(null, data.nodes.map(function (n) { return n.x; })) -
      Math.min.apply(null, data.nodes.map(function (n) { return n.x; }));
    var spanY = Math.max.apply(null, data.nodes.map(function (n) { return n.y; })) -
      Math.min.apply(null, data.nodes.map(function (n) { return n.y; }));
    var fitScale = open ? open.scale : Math.min((container.clientWidth || 800) / (spanX + 1),
                                                (container.clientHeight || 600) / (spanY + 1)) * 0.85;
    // Sizes are in map pixels: divide by the opening zoom so that marks and lines have
    // the same size on screen in a small window, a large one, or a zoomed-in focus.
    grow = Math.max(Math.min(1 / fitScale, big ? 12 : 5), 0.25);
    // Dense views: keep nodes smaller than the typical distance between neighbours.
    var room = Math.sqrt((spanX + 1) * (spanY + 1) / data.nodes.length);
    maxSize = Math.max(0.3 * room, 2 * grow);
  }
  // Width: the line's weight (graph/views/model.py, line_weight) times the share of its
  // claims that the filters leave visible.
  function width(edge, count) {
    var weight = edge.weight == null ? count : edge.weight * count / edge.claims.length;
    var w = edge.kind === "flow" ? Math.min(1.5 * weight, 12) : (edge.kind === "relation" ? 2 : 1);
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
    // A flow within one place: a short arc beside it rather than a wide loop.
    if (edge.from === edge.to) item.selfReference = { size: 6 * grow, angle: Math.PI / 4 };
    if (count === 0) item.hidden = true;
    return item;
  }
  // Labels are not vis-network's: the page places them itself, without overlaps (below).
  function nodeSize(node) {
    return Math.min(Math.min(7 + 2.2 * Math.sqrt(node.weight), 22) * grow, maxSize);
  }
  function visNode(node) {
    var item = { id: node.id, x: node.x, y: node.y, group: "k" + node.kind, size: nodeSize(node) };
    if (node.area) {  // a region: drawn as its member countries' area; the node is a hollow mark
      var colour = legend.kinds[node.kind].colour;
      item.color = { background: "#ffffff", border: colour,
                     highlight: { background: "#ffffff", border: "#1d2733" },
                     hover: { background: "#ffffff", border: "#1d2733" } };
      item.borderWidth = 2.5 * Math.min(grow, 3);
      item.size = item.size * 0.7;
    }
    return item;
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
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false,
                   dragNodes: false },
    groups: groups,
    nodes: { borderWidth: Math.min(grow, maxSize / 6) },
    edges: { selectionWidth: 1.5, hoverWidth: 0.8, smooth: false, color: { opacity: 0.85 },
             // Arrowheads cost vis-network 17 times the redraw of a 7,500-line view (1.2 s
             // against 0.07 s) and cannot be told apart at that density: large views show
             // direction in the line's panel ("A -> B") instead.
             arrows: { to: { enabled: !big, scaleFactor: 0.45 } } }
  };
  view.marks.datasets = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  view.network = network;
  view.marks.network = performance.now();
  if (open) network.moveTo({ position: open.position, scale: open.scale, animation: false });
  else network.fit({ animation: false });
  // ---------------------------------------------------------------- labels, stubs, stats
  // Labels are drawn by the page in screen pixels after each draw, most important first
  // (the focus country, then by the number of claims), each at the first of four spots
  // round its node that stays inside the canvas and clear of the labels already placed;
  // the others wait until zooming makes room. Lines that leave the window get a stub at
  // the edge naming their far end.
  var hiddenNodes = {}, hovered = null;
  var FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  var FONT_BOLD = "bold 13px system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  var FONT_COUNTRY = "italic 11px system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  var FONT_STUB = "11px system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  var widths = {}, LABEL_TRIES = 1500;
  function textWidth(ctx, text, font) {
    var key = font + "\u0000" + text;
    if (!(key in widths)) { ctx.font = font; widths[key] = ctx.measureText(text).width; }
    return widths[key];
  }
  var nodeOrder = data.nodes.map(function (n) { return n.id; }).sort(function (a, b) {
    var na = data.nodes[a], nb = data.nodes[b];
    return (isFocus(nb) - isFocus(na)) || (nb.weight - na.weight) || (a - b);
  });
  var neighbourLabels = [];
  if (map) {
    var named = {};
    data.nodes.forEach(function (n) { if (n.iso3) named[n.iso3] = true; });
    map.neighbours.forEach(function (c) {
      if (!named[c.iso3]) neighbourLabels.push({ text: c.name, x: c.point[0], y: c.point[1] });
    });
  }
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function placeLabels(ctx, W, H) {
    var placed = [], grid = {}, CELL = 96, MARGIN = 2;
    function cells(box, add) {
      var out = false;
      for (var gx = Math.floor(box.x / CELL); gx <= Math.floor((box.x + box.w) / CELL); gx++) {
        for (var gy = Math.floor(box.y / CELL); gy <= Math.floor((box.y + box.h) / CELL); gy++) {
          var key = gx + "," + gy;
          if (add) { (grid[key] = grid[key] || []).push(box); continue; }
          var list = grid[key] || [];
          for (var i = 0; i < list.length; i++) if (overlaps(box, list[i])) { out = true; break; }
          if (out) return true;
        }
      }
      return out;
    }
    function tryPlace(text, font, spots, kind) {
      var w = textWidth(ctx, text, font) + 4, h = (font === FONT_BOLD ? 13 : 12) + 4;
      for (var i = 0; i < spots.length; i++) {
        var spot = spots[i], box = { x: spot[0], y: spot[1], w: w, h: h };
        if (spot[2] === "right") { box.x = spot[0]; box.y = spot[1] - h / 2; }
        else if (spot[2] === "left") { box.x = spot[0] - w; box.y = spot[1] - h / 2; }
        else if (spot[2] === "above") { box.x = spot[0] - w / 2; box.y = spot[1] - h; }
        else if (spot[2] === "below") { box.x = spot[0] - w / 2; box.y = spot[1]; }
        if (box.x < MARGIN || box.y < MARGIN || box.x + w > W - MARGIN || box.y + h > H - MARGIN) continue;
        if (cells(box, false)) continue;
        box.text = text; box.font = font; box.kind = kind;
        cells(box, true);
        placed.push(box);
        return box;
      }
      return null;
    }
    var scale = network.getScale(), marks = [];
    // Canvas to screen is affine: two points give it (cheaper than a call per node).
    var o = network.canvasToDOM({ x: 0, y: 0 }), u = network.canvasToDOM({ x: 1, y: 1 });
    var kx = u.x - o.x, ky = u.y - o.y;
    // Node marks are obstacles: no label is put over a place.
    nodeOrder.forEach(function (id) {
      if (hiddenNodes[id]) { marks[id] = null; return; }
      var node = data.nodes[id], p = { x: o.x + kx * node.x, y: o.y + ky * node.y };
      var r = nodeSize(node) * scale * (node.area ? 0.7 : 1);
      marks[id] = { p: p, r: r };
      if (p.x < -r || p.y < -r || p.x > W + r || p.y > H + r || r < 1) return;
      cells({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r, mark: true }, true);
    });
    // At most LABEL_TRIES places try for a label per draw: in a dense view the rest would
    // find no room anyway (they get it once zoomed in, when fewer places are in view).
    var tries = 0;
    nodeOrder.forEach(function (id) {
      if (!marks[id] || tries >= LABEL_TRIES) return;
      var node = data.nodes[id], p = marks[id].p, r = marks[id].r + 3;
      if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) return;
      tries++;
      tryPlace(node.label, isFocus(node) ? FONT_BOLD : FONT,
               [[p.x + r, p.y, "right"], [p.x - r, p.y, "left"], [p.x, p.y - r, "above"],
                [p.x, p.y + r, "below"]], "node");
    });
    // Stubs: a line with one end in the window points, at the window's edge, to the other.
    var stubs = [], far = {}, M = 10;
    if (geo) {
      data.edges.forEach(function (edge, i) {
        if (!counts[i] || edge.from === edge.to) return;
        var a = marks[edge.from] ? marks[edge.from].p : null, b = marks[edge.to] ? marks[edge.to].p : null;
        if (!a || !b) return;
        var inA = a.x >= M && a.y >= M && a.x <= W - M && a.y <= H - M;
        var inB = b.x >= M && b.y >= M && b.x <= W - M && b.y <= H - M;
        if (inA === inB) return;
        var inside = inA ? a : b, outside = inA ? b : a, farId = inA ? edge.to : edge.from;
        var t = 1;
        [["x", M], ["x", W - M], ["y", M], ["y", H - M]].forEach(function (side) {
          var d = outside[side[0]] - inside[side[0]];
          if (d === 0) return;
          var k = (side[1] - inside[side[0]]) / d;
          if (k > 0 && k < t) t = k;
        });
        var key = farId + (inA ? ">" : "<");
        var weight = edge.claims.length;
        if (far[key] && far[key].weight >= weight) return;
        far[key] = { weight: weight, x: inside.x + t * (outside.x - inside.x),
                     y: inside.y + t * (outside.y - inside.y),
                     dx: outside.x - inside.x, dy: outside.y - inside.y,
                     text: (inA ? "to " : "from ") + data.nodes[farId].label,
                     colour: legend.groups[edge.group].colour };
      });
      Object.keys(far).sort(function (a, b) { return far[b].weight - far[a].weight; })
        .forEach(function (key) { stubs.push(far[key]); });
    }
    stubs.forEach(function (stub) {
      var inward = stub.x <= M + 1 ? "right" : stub.x >= W - M - 1 ? "left" :
        stub.y <= M + 1 ? "below" : "above";
      var order = { right: ["right", "below", "above"], left: ["left", "below", "above"],
                    below: ["below", "right", "left"], above: ["above", "right", "left"] }[inward];
      var spots = order.map(function (where) {
        var off = 8;
        return [stub.x + (where === "right" ? off : where === "left" ? -off : 0),
                stub.y + (where === "below" ? off : where === "above" ? -off : 0), where];
      });
      stub.box = tryPlace(stub.text, FONT_STUB, spots, "stub");
    });
    neighbourLabels.forEach(function (c) {
      var p = network.canvasToDOM({ x: c.x, y: c.y });
      tryPlace(c.text, FONT_COUNTRY, [[p.x, p.y - 6, "below"], [p.x, p.y + 6, "above"]],
               "country");
    });
    return { placed: placed, stubs: stubs };
  }
  function drawLabels(ctx, result) {
    ctx.lineJoin = "round";
    result.stubs.forEach(function (stub) {
      var len = Math.sqrt(stub.dx * stub.dx + stub.dy * stub.dy) || 1;
      var ux = stub.dx / len, uy = stub.dy / len;
      ctx.beginPath();
      ctx.moveTo(stub.x + 7 * ux, stub.y + 7 * uy);
      ctx.lineTo(stub.x - 5 * ux + 5 * uy, stub.y - 5 * uy - 5 * ux);
      ctx.lineTo(stub.x - 5 * ux - 5 * uy, stub.y - 5 * uy + 5 * ux);
      ctx.closePath();
      ctx.fillStyle = stub.colour;
      ctx.fill();
    });
    result.placed.forEach(function (box) {
      ctx.font = box.font;
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.fillStyle = box.kind === "country" ? "#6b7785" : box.kind === "stub" ? "#3d4752" : "#1d2733";
      ctx.strokeText(box.text, box.x + 2, box.y + box.h / 2);
      ctx.fillText(box.text, box.x + 2, box.y + box.h / 2);
    });
  }
  function countOverlaps(boxes) {
    var n = 0;
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i], boxes[j])) n++;
    }
    return n;
  }
  network.on("afterDrawing", function (ctx) {
    var W = container.clientWidth, H = container.clientHeight;
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    var started = performance.now();
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    var result = placeLabels(ctx, W, H);
    drawLabels(ctx, result);
    ctx.restore();
    view.marks.labelsMs = performance.now() - started;
    view.labels = result.placed.map(function (b) {
      return { text: b.text, kind: b.kind, x: b.x, y: b.y, w: b.w, h: b.h };
    });
    view.canvasSize = { width: W, height: H };
    if (view.firstDraw === null) {
      view.firstDraw = performance.now();
      var boxes = result.placed, clipped = 0;
      boxes.forEach(function (b) {
        if (b.x < 0 || b.y < 0 || b.x + b.w > W || b.y + b.h > H) clipped++;
      });
      view.stats = {
        nodes: data.nodes.length, edges: data.edges.length, labels: boxes.length,
        labelOverlaps: boxes.length <= 3000 ? countOverlaps(boxes) : null,
        labelsClipped: clipped,
        basemapFeatures: map ? map.world.countries.length : 0,
        drawMs: Math.round(view.firstDraw)
      };
      document.body.setAttribute("data-tkg-stats", JSON.stringify(view.stats));
      document.body.setAttribute("data-drawn", "true");
    }
  });

  // ---------------------------------------------------------------- basemap (geo layout)
  if (geo && data.nodes.length) {
    network.on("beforeDrawing", function (ctx) {
      var started = performance.now();
      var scale = network.getScale(), px = 1 / scale;
      var tl = network.DOMtoCanvas({ x: 0, y: 0 });
      var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
      ctx.save();
      if (map) {
        ctx.fillStyle = "#e8eff6";
        ctx.fillRect(tl.x, tl.y, br.x - tl.x, br.y - tl.y);
      }
      graticule(ctx, tl, br, px);
      if (map) drawMap(ctx, tl, br, px, scale);
      ctx.restore();
      view.marks.mapMs = performance.now() - started;
    });
  }
  function graticule(ctx, tl, br, px) {
    var span = (br.x - tl.x) / s;
    var step = span > 150 ? 30 : span > 60 ? 10 : span > 20 ? 5 : span > 8 ? 2 : 1;
    var lon0 = Math.max(-180, Math.floor(tl.x / s / step) * step);
    var lon1 = Math.min(180, Math.ceil(br.x / s / step) * step);
    var lat, lon, y, top = unproject(tl.y), bottom = unproject(br.y);
    var lat0 = Math.max(-80, Math.floor(bottom / step) * step);
    var lat1 = Math.min(80, Math.ceil(top / step) * step);
    ctx.strokeStyle = map ? "#d7e1eb" : "#e3e8ee";
    ctx.fillStyle = "#9aa5b1";
    ctx.lineWidth = px;
    ctx.font = (10 * px) + "px sans-serif";
    for (lon = lon0; lon <= lon1; lon += step) {
      ctx.beginPath(); ctx.moveTo(lon * s, project(0, lat1)[1]); ctx.lineTo(lon * s, project(0, lat0)[1]);
      ctx.stroke();
      ctx.fillText(Math.abs(lon) + "\u00b0" + (lon < 0 ? "W" : lon > 0 ? "E" : ""),
                   lon * s + 3 * px, br.y - 4 * px);
    }
    for (lat = lat0; lat <= lat1; lat += step) {
      y = project(0, lat)[1];
      ctx.beginPath(); ctx.moveTo(lon0 * s, y); ctx.lineTo(lon1 * s, y); ctx.stroke();
      ctx.fillText(Math.abs(lat) + "\u00b0" + (lat < 0 ? "S" : lat > 0 ? "N" : ""),
                   tl.x + 4 * px, y - 3 * px);
    }
  }
  function drawMap(ctx, tl, br, px, scale) {
    var fine = map.detail && scale * s >= DETAIL_AT;
    function visible(c) { return c.box[2] >= tl.x && c.box[0] <= br.x && c.box[3] >= tl.y && c.box[1] <= br.y; }
    function fillAll(layer, skip) {
      layer.countries.forEach(function (c) {
        if ((skip && skip[c.key]) || !visible(c)) return;
        ctx.fillStyle = map.focus[c.iso3] ? "#fbf1d3" : "#f7f7f4";
        ctx.fill(c.path);
      });
    }
    fillAll(map.world, fine ? map.detail.keys : null);
    if (fine) fillAll(map.detail, null);
    // Regions as areas: their member countries tinted in the region's colour.
    // Regions as areas: their member countries tinted in the region's colour; a selected
    // or hovered region also gets its outline, dashed.
    var chosen = network.getSelectedNodes();
    map.areas.forEach(function (area) {
      if (hiddenNodes[area.node]) return;
      var lit = chosen.indexOf(area.node) >= 0 || hovered === area.node;
      ctx.globalAlpha = lit ? 0.28 : 0.07;
      ctx.fillStyle = area.colour;
      area.members.forEach(function (c) { if (visible(c)) ctx.fill(c.path); });
      ctx.globalAlpha = 1;
      if (lit) {
        ctx.save();
        ctx.strokeStyle = area.colour;
        ctx.lineWidth = 2 * px;
        ctx.setLineDash([6 * px, 4 * px]);
        ctx.stroke(area.outline);
        ctx.restore();
      }
    });
    ctx.lineJoin = "round";
    function strokes(layer) {
      ctx.strokeStyle = "#9fb0c2"; ctx.lineWidth = 1.1 * px; ctx.stroke(layer.coast);
      ctx.strokeStyle = "#b9c2cc"; ctx.lineWidth = 0.9 * px; ctx.stroke(layer.border);
    }
    if (fine) {
      ctx.save();
      ctx.strokeStyle = "#9fb0c2"; ctx.lineWidth = 1.1 * px; ctx.stroke(map.world.coastOut);
      ctx.strokeStyle = "#b9c2cc"; ctx.lineWidth = 0.9 * px; ctx.stroke(map.world.borderOut);
      ctx.restore();
      strokes(map.detail);
    } else {
      strokes(map.world);
    }
    var layer = fine ? map.detail : map.world;
    ctx.strokeStyle = "#a8862d";
    ctx.lineWidth = 1.8 * px;
    layer.countries.forEach(function (c) { if (map.focus[c.iso3]) ctx.stroke(c.path); });
  }
  // ---------------------------------------------------------------- tooltips (DOM only)
  var pinned = false;
  function claimBlock(c) {
    var block = el("div", "claim");
    block.appendChild(el("strong", null, c.label));
    if (c.description) block.appendChild(el("div", "description", c.description));
    var meta = [];
    if (c.commodity) meta.push((c.kind === "flow" ? "Commodity: " : "Relation: ") + c.commodity);
    meta.push("Certainty: " + legend.grades[c.cert].label);
    if (c.lineages !== undefined) meta.push("Independent lineages: " + c.lineages);
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
      if (src[3]) where.push("reliability " + src[3]);
      if (src[4]) where.push("lineage: " + src[4]);
      block.appendChild(el("div", "source", "Source: " + where.join(", ")));
    });
    return block;
  }
  function ownVisible(node) {
    return node.claims.map(function (i) { return data.claims[i]; }).filter(function (c) {
      return state.groups[c.group] && claimVisible(c);
    });
  }
  function fillNode(id, full) {
    var node = data.nodes[id];
    tip.replaceChildren(el("strong", null, node.label), el("div", "type", node.type));
    node.info.forEach(function (row) { tip.appendChild(el("div", "meta", row[0] + ": " + row[1])); });
    var unit = data.explore ? " line" : " claim";
    tip.appendChild(el("div", "meta", node.weight + unit + (node.weight === 1 ? "" : "s") +
                                      " in this view"));
    var own = ownVisible(node);
    if (own.length) {
      tip.appendChild(el("div", "more", "Flows named here without a mapped route:"));
      own.slice(0, 8).forEach(function (c) { tip.appendChild(claimBlock(c)); });
      if (own.length > 8) tip.appendChild(el("div", "more", "and " + (own.length - 8) + " more"));
    }
    if (full && map && node.iso3 && map.bordering[node.iso3]) {
      var names = Object.keys(map.bordering[node.iso3]).map(function (k) {
        return map.bordering[node.iso3][k].name;
      }).sort();
      tip.appendChild(el("div", "meta", "Land borders: " + names.join(", ")));
    }
    if (full && data.explore) exploreActions(id);
    if (full) lineList(id);
  }
  // ---------------------------------------------------------------- explore (entity pages)
  // On the endpoint's entity pages (data.explore: URL templates of an entity's page and of
  // its neighbours) a node's panel links to the node's page and offers its neighbours: they
  // are fetched from the endpoint and added round the node, so a reader can walk the graph.
  // What comes back is drawn like the rest: text through textContent, looks from its data.
  var known = {};
  data.nodes.forEach(function (n) { if (n.iri) known[n.iri] = n.id; });
  function exploreUrl(template, node) {
    // The id stays readable ("kb:x"): after "entity/" its colon cannot start a scheme.
    return template.replace("{id}", encodeURIComponent(node.short || node.iri).replace(/%3A/g, ":"));
  }
  function exploreActions(id) {
    var node = data.nodes[id], row = el("div", "buttons");
    var link = el("a", null, "Open the page of " + node.label);
    link.href = exploreUrl(data.explore.page, node);
    link.target = "_top";
    row.appendChild(link);
    if (!node.expanded) {
      var more = el("button", null, "Show its neighbours");
      more.type = "button";
      more.className = "expand";
      more.addEventListener("click", function () { expand(id, more); });
      row.appendChild(more);
    }
    tip.appendChild(row);
  }
  function legendEntry(list, style, extra) {
    for (var i = 0; i < list.length; i++) if (list[i].id === style.key) return i;
    var entry = { id: style.key, label: style.label, colour: style.colour };
    Object.keys(extra || {}).forEach(function (k) { entry[k] = extra[k]; });
    list.push(entry);
    return list.length - 1;
  }
  function expand(id, button) {
    var node = data.nodes[id];
    button.disabled = true;
    button.textContent = "loading\u2026";
    return fetch(exploreUrl(data.explore.neighbours, node), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (found) {
        var added = merge(id, found);
        button.textContent = added + (added === 1 ? " neighbour added" : " neighbours added") +
          (found.more ? " (" + found.more + " more not shown)" : "");
      })
      .catch(function (err) {
        button.disabled = false;
        button.textContent = "Show its neighbours (failed: " + err.message + ")";
      });
  }
  function merge(centre, found) {
    var c = data.nodes[centre], fresh = [], newEdges = [], kindsBefore = legend.kinds.length;
    found.nodes.forEach(function (n) {
      if (known[n.iri] !== undefined) return;
      var kind = legendEntry(legend.kinds, n.style, { shape: n.style.shape });
      var node = { id: data.nodes.length, iri: n.iri, short: n.short, label: n.label,
                   type: n.type, kind: kind, info: [], x: c.x, y: c.y, weight: 0, claims: [] };
      data.nodes.push(node);
      known[n.iri] = node.id;
      fresh.push(node);
    });
    if (legend.kinds.length > kindsBefore) {
      legend.kinds.slice(kindsBefore).forEach(function (kind, i) {
        groups["k" + (kindsBefore + i)] = {
          shape: kind.shape,
          color: { background: kind.colour, border: "#ffffff",
                   highlight: { background: kind.colour, border: "#1d2733" },
                   hover: { background: kind.colour, border: "#1d2733" } } };
      });
      network.setOptions({ groups: groups });
    }
    // The new nodes on a ring round the expanded one, starting away from the view's centre.
    var cx = 0, cy = 0;
    data.nodes.forEach(function (n) { cx += n.x; cy += n.y; });
    cx /= data.nodes.length; cy /= data.nodes.length;
    var start = Math.atan2(c.y - cy, c.x - cx) - Math.PI / 2, radius = 160 * Math.max(grow, 0.5);
    fresh.forEach(function (node, k) {
      var angle = start + Math.PI * (k + 0.5) / Math.max(fresh.length, 1);
      node.x = c.x + radius * Math.cos(angle);
      node.y = c.y + radius * Math.sin(angle);
    });
    var drawn = {};
    data.edges.forEach(function (e) {
      drawn[e.from + ">" + e.to + ">" + data.claims[e.claims[0]].commodity] = true;
    });
    found.edges.forEach(function (e) {
      var from = known[e.from], to = known[e.to];
      if (from === undefined || to === undefined || drawn[from + ">" + to + ">" + e.relation]) return;
      drawn[from + ">" + to + ">" + e.relation] = true;
      var group = legendEntry(legend.groups, e.group, { kind: "line" });
      if (state.groups[group] === undefined) state.groups[group] = true;
      data.claims.push({ id: "", kind: "relation", description: "", commodity: e.relation,
                         label: data.nodes[from].label + " \u2192 " + e.relation + " \u2192 " +
                                data.nodes[to].label,
                         group: group, cert: 0, start: null, end: null, route: "",
                         actors: [], sources: [] });
      var edge = { id: data.edges.length, from: from, to: to, kind: "relation", group: group,
                   cert: 0, claims: [data.claims.length - 1], bend: 0, weight: 1 };
      data.edges.push(edge);
      counts.push(1);
      data.nodes[from].weight++;
      data.nodes[to].weight++;
      newEdges.push(visEdge(edge, 1));
    });
    nodes.add(fresh.map(visNode));
    edges.add(newEdges);
    nodeOrder = data.nodes.map(function (n) { return n.id; }).sort(function (a, b) {
      return (data.nodes[b].weight - data.nodes[a].weight) || (a - b);
    });
    c.expanded = true;
    shownCount.textContent = summary();
    network.fit({ animation: false });
    return fresh.length;
  }
  view.expand = function (id) {
    var button = el("button");
    return expand(id, button);
  };
  // A place's lines out and in, each a button that opens the line's evidence.
  function lineList(id) {
    [["Lines out", "from", "to", "\u2192 "], ["Lines in", "to", "from", "\u2190 "]].forEach(function (way) {
      var items = [];
      data.edges.forEach(function (edge, i) {
        if (edge[way[1]] !== id || !counts[i]) return;
        items.push(i);
      });
      if (!items.length) return;
      tip.appendChild(el("div", "more", way[0] + ":"));
      var list = el("ul", "lines");
      items.forEach(function (i) {
        var edge = data.edges[i], item = el("li"), button = el("button", null,
          way[3] + data.nodes[edge[way[2]]].label + " \u00b7 " + legend.groups[edge.group].label +
          " \u00b7 " + counts[i] + (counts[i] === 1 ? " claim" : " claims"));
        button.type = "button";
        button.addEventListener("click", function () {
          network.selectEdges([edge.id]);
          fillEdge(i);
          tip.focus();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      tip.appendChild(list);
    });
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
  network.on("hoverNode", function (p) {
    hovered = p.node;
    if (data.nodes[p.node].area) network.redraw();
    if (!pinned) { fillNode(p.node, false); place(p.pointer.DOM); }
  });
  network.on("blurNode", function (p) {
    if (hovered !== null && data.nodes[hovered].area) { hovered = null; network.redraw(); }
    hovered = null;
  });
  network.on("hoverEdge", function (p) { if (!pinned) { fillEdge(p.edge); place(p.pointer.DOM); } });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", unpin);
  function pin(pointer) {
    place(pointer);
    pinned = true;
    tip.classList.add("pinned");
    tip.setAttribute("role", "dialog");
  }
  function unpin() {
    pinned = false;
    tip.classList.remove("pinned");
    tip.setAttribute("role", "tooltip");
    hide();
  }
  network.on("click", function (p) {
    unpin();
    if (p.nodes.length) fillNode(p.nodes[0], true);
    else if (p.edges.length) fillEdge(p.edges[0]);
    else return;
    pin(p.pointer.DOM);
  });
  // Keyboard: with the map focused, arrow keys (or n / p) step through the places, most
  // important first; Enter opens the selected place's panel, whose lines are buttons;
  // Escape closes it and returns to the map.
  var cursor = -1;
  container.tabIndex = 0;
  container.setAttribute("aria-description", "Arrow keys step through the places, Enter " +
                         "opens the selected place's flows and evidence, Escape closes it.");
  function step(by) {
    var shown = nodeOrder.filter(function (id) { return !hiddenNodes[id]; });
    if (!shown.length) return;
    var at = shown.indexOf(cursor);
    cursor = shown[(at + by + shown.length) % shown.length];
    network.selectNodes([cursor]);
    var p = network.canvasToDOM({ x: data.nodes[cursor].x, y: data.nodes[cursor].y });
    if (p.x < 0 || p.y < 0 || p.x > container.clientWidth || p.y > container.clientHeight) {
      network.moveTo({ position: { x: data.nodes[cursor].x, y: data.nodes[cursor].y },
                       animation: false });
      p = network.canvasToDOM({ x: data.nodes[cursor].x, y: data.nodes[cursor].y });
    }
    unpin();
    fillNode(cursor, false);
    place(p);
  }
  container.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight" || e.key === "ArrowDown" || e.key === "n") step(1);
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp" || e.key === "p") step(-1);
    else if (e.key === "Enter" && cursor >= 0) {
      var p = network.canvasToDOM({ x: data.nodes[cursor].x, y: data.nodes[cursor].y });
      fillNode(cursor, true);
      pin(p);
      tip.focus();
    } else if (e.key === "Escape") { unpin(); network.unselectAll(); }
    else return;
    e.preventDefault();
  });
  tip.tabIndex = -1;
  tip.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { unpin(); container.focus(); e.preventDefault(); }
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
      hiddenNodes[n.id] = !seen[n.id] && !ownVisible(n).length;
      return { id: n.id, hidden: hiddenNodes[n.id] };
    }));
    shownCount.textContent = summary();
  }
  function summary() {
    if (data.explore) {
      var lines = counts.filter(function (n) { return n > 0; }).length;
      return data.nodes.length + (data.nodes.length === 1 ? " node, " : " nodes, ") + lines +
        (lines === 1 ? " line" : " lines") + " shown";
    }
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
  // Served by the endpoint, a view links back to its other pages (data.nav: [text, URL]).
  if (data.nav && data.nav.length) {
    var nav = el("nav", "nav");
    nav.setAttribute("aria-label", "Main");
    data.nav.forEach(function (item, i) {
      var link = el("a", null, item[0]);
      link.href = item[1];
      link.target = "_top";
      if (i) nav.appendChild(document.createTextNode(" \u00b7 "));
      nav.appendChild(link);
    });
    panel.appendChild(nav);
  }
  var shownCount = el("p");
  panel.appendChild(shownCount);

  var byGroup = countBy("group"), byGrade = countBy("cert");
  if (legend.groups.length) {
    panel.appendChild(el("h2", null, data.explore ? "Relation" : "Commodity / line"));
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
    // Each bound is a number box and a slider over the view's years, kept in step.
    var boxes = {}, sliders = {};
    function setYear(key, v, from) {
      state[key] = isNaN(v) ? null : v;
      if (from !== boxes[key]) boxes[key].value = isNaN(v) ? "" : v;
      if (from !== sliders[key] && !isNaN(v)) sliders[key].value = v;
      apply();
    }
    function yearInput(key, type) {
      var input = el("input");
      input.type = type;
      input.min = data.period.min;
      input.max = data.period.max;
      input.step = 1;
      input.value = state[key];
      input.setAttribute("aria-label", (key === "from" ? "from year" : "to year") +
                         (type === "range" ? " (slider)" : ""));
      input.addEventListener("input", function () { setYear(key, parseInt(input.value, 10), input); });
      (type === "range" ? sliders : boxes)[key] = input;
      return input;
    }
    row.appendChild(yearInput("from", "number"));
    row.appendChild(el("span", null, "to"));
    row.appendChild(yearInput("to", "number"));
    panel.appendChild(row);
    if (data.period.max > data.period.min) {
      var slide = el("div", "sliders");
      slide.appendChild(yearInput("from", "range"));
      slide.appendChild(yearInput("to", "range"));
      panel.appendChild(slide);
    }
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
  var buttons = el("div", "buttons");
  var fit = el("button", null, "Fit to all");
  fit.type = "button";
  fit.id = "tkg-fit";
  fit.addEventListener("click", function () { network.fit({ animation: false }); });
  buttons.appendChild(fit);
  if (open) {
    var names = data.basemap.focus.map(function (code) {
      var found = map.world.countries.filter(function (c) { return c.iso3 === code; })[0];
      return found ? found.name : code;
    });
    var back = el("button", null, "Focus on " + names.join(", "));
    back.type = "button";
    back.id = "tkg-focus";
    back.addEventListener("click", function () {
      var again = opening();  // for the window's present size
      network.moveTo({ position: again.position, scale: again.scale, animation: false });
    });
    buttons.appendChild(back);
  }
  panel.appendChild(buttons);
  if (map) {
    panel.appendChild(el("p", "credit", "Outlines: Natural Earth (public domain), via world-atlas."));
  }
  shownCount.textContent = summary();
})();
