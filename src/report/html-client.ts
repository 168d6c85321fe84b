/**
 * Inline stylesheet and script of the HTML report. Kept apart from html.ts so that the page logic is
 * readable. The script reads its data from a JSON script element and builds every node with DOM APIs
 * (textContent, setAttribute), never innerHTML, so log text cannot inject markup.
 */

export const CLIENT_CSS = `
:root{--bg:#f7f7f9;--fg:#1d2330;--muted:#5b6475;--line:#d9dce3;--panel:#fff;
--critical:#b3001b;--high:#e4572e;--medium:#e0a100;--low:#2e86ab;--info:#8d99ae;--none:#6c757d}
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;background:var(--bg);color:var(--fg)}
header{padding:12px 18px;background:#1d2330;color:#fff}
header h1{margin:0;font-size:18px;font-weight:600}
header .sub{color:#c5cad5;font-size:13px;margin-top:2px}
.counts span{display:inline-block;margin-right:8px}
main{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:12px;padding:12px 18px;align-items:start}
section,aside{background:var(--panel);border:1px solid var(--line);border-radius:6px}
.toolbar{display:flex;gap:6px;align-items:center;padding:6px 8px;border-bottom:1px solid var(--line)}
.toolbar button{font:inherit;padding:2px 10px;border:1px solid var(--line);background:#fff;border-radius:4px;cursor:pointer}
.toolbar button:hover{background:#eef}
.toolbar .hint{color:var(--muted);font-size:12px;margin-left:auto}
#chart{width:100%;display:block;cursor:grab;user-select:none;touch-action:none}
#chart.dragging{cursor:grabbing}
.lane{fill:#fbfbfd}.lane.alt{fill:#f1f2f6}
.lane-label{font-size:12px;font-weight:600;fill:var(--fg)}
.axis text{font-size:11px;fill:var(--muted)}.axis line{stroke:var(--line)}
.mark{stroke:#fff;stroke-width:1.5;cursor:pointer}
.mark.ctx{opacity:.8}
.mark:hover{stroke:#000}
.mark.sel{stroke:#000;stroke-width:3}
polyline.chain{fill:none;stroke-width:2.5;opacity:.55}
.dim .mark:not(.hl),.dim .chain:not(.hl){opacity:.12}
polyline.chain.hl{opacity:1;stroke-width:3.5}
.sev-critical{fill:var(--critical);stroke:var(--critical)}.sev-high{fill:var(--high);stroke:var(--high)}
.sev-medium{fill:var(--medium);stroke:var(--medium)}.sev-low{fill:var(--low);stroke:var(--low)}
.sev-info{fill:var(--info);stroke:var(--info)}.sev-none{fill:var(--none);stroke:var(--none)}
circle.mark{stroke:#fff}
circle.mark.sel{stroke:#000}
.badge{display:inline-block;min-width:64px;text-align:center;border-radius:3px;color:#fff;font-size:11px;font-weight:700;padding:1px 6px;text-transform:uppercase}
.badge.sev-critical{background:var(--critical)}.badge.sev-high{background:var(--high)}.badge.sev-medium{background:var(--medium);color:#222}
.badge.sev-low{background:var(--low)}.badge.sev-info{background:var(--info)}
aside h2,section h2{font-size:14px;margin:0;padding:8px 10px;border-bottom:1px solid var(--line)}
#findings{list-style:none;margin:0;padding:0;max-height:520px;overflow:auto}
#findings li{padding:8px 10px;border-bottom:1px solid var(--line);cursor:pointer}
#findings li:hover{background:#f3f5fb}
#findings li.active{background:#e8edfb;box-shadow:inset 3px 0 0 #3553c7}
#findings .title{font-weight:600;margin:3px 0}
#findings .meta,#findings .verdict{color:var(--muted);font-size:12px}
#detail{grid-column:1 / -1;padding:10px 12px;min-height:90px}
#detail .empty{color:var(--muted)}
#detail dl{display:grid;grid-template-columns:190px 1fr;gap:2px 10px;margin:0 0 8px}
#detail dt{color:var(--muted)}#detail dd{margin:0;word-break:break-all}
pre.raw{margin:0;padding:8px 10px;background:#1d2330;color:#e8ecf3;border-radius:4px;white-space:pre-wrap;word-break:break-all;font:12.5px/1.45 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
td.num,th.num{text-align:right}
.inputs{grid-column:1 / -1}
.warn{color:#9a6200}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px}
.legend{display:flex;gap:10px;align-items:center;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:3px;vertical-align:-1px}
.legend i.sev-critical{background:var(--critical)}.legend i.sev-high{background:var(--high)}.legend i.sev-medium{background:var(--medium)}.legend i.sev-low{background:var(--low)}.legend i.sev-info{background:var(--info)}.legend i.sev-none{background:var(--none)}
@media (max-width:900px){main{grid-template-columns:1fr}}
`;

export const CLIENT_JS = `
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('forensics-data').textContent);
  var svg = document.getElementById('chart');
  var detail = document.getElementById('detail');
  var list = document.getElementById('findings');
  var GUTTER = 96, RIGHT = 18, AXIS = 30;
  var events = data.events, hosts = data.hosts;
  var LANE = Math.max(64, Math.min(110, Math.floor(380 / Math.max(1, hosts.length))));
  var laneOf = {};
  hosts.forEach(function (h, i) { laneOf[h] = i; });
  var tMin = Infinity, tMax = -Infinity;
  events.forEach(function (e) { if (e.t < tMin) tMin = e.t; if (e.t > tMax) tMax = e.t; });
  if (!isFinite(tMin)) { tMin = Date.now(); tMax = tMin + 60000; }
  var full = fitRange(tMin, tMax);
  var view = { a: full.a, b: full.b };
  var selected = -1, activeFinding = -1;
  var fmt = makeFormatter(data.zone);

  function fitRange(a, b) {
    var span = Math.max(b - a, 2000);
    var pad = span * 0.06;
    return { a: a - pad, b: a + span + pad };
  }
  function makeFormatter(zone) {
    var opts = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', month: '2-digit', day: '2-digit' };
    try { opts.timeZone = zone || 'UTC'; return new Intl.DateTimeFormat('en-GB', opts); }
    catch (err) { opts.timeZone = 'UTC'; return new Intl.DateTimeFormat('en-GB', opts); }
  }
  function parts(t) {
    var o = {};
    fmt.formatToParts(new Date(t)).forEach(function (p) { o[p.type] = p.value; });
    return o;
  }
  function el(name, attrs, parent) {
    var n = document.createElementNS(NS, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(n);
    return n;
  }
  function width() { return Math.max(480, svg.clientWidth || svg.parentNode.clientWidth || 900); }
  function x(t, W) { return GUTTER + (t - view.a) / (view.b - view.a) * (W - GUTTER - RIGHT); }
  function tAt(px, W) { return view.a + (px - GUTTER) / (W - GUTTER - RIGHT) * (view.b - view.a); }

  var STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];
  function tickStep(span, W) {
    var want = span / Math.max(2, Math.floor((W - GUTTER) / 110));
    for (var i = 0; i < STEPS.length; i++) if (STEPS[i] >= want) return STEPS[i];
    return STEPS[STEPS.length - 1];
  }
  function tickLabel(t, step, first) {
    var p = parts(t);
    var hms = p.hour + ':' + p.minute + (step < 6e4 ? ':' + p.second : '');
    if (step < 1000) hms += '.' + String(((t % 1000) + 1000) % 1000).padStart(3, '0');
    var day = p.month + '-' + p.day;
    return (first || (p.hour === '00' && p.minute === '00' && step >= 6e4)) ? day + ' ' + hms : hms;
  }

  function draw() {
    var W = width();
    var H = AXIS + hosts.length * LANE + 8;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('height', String(H));
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var clipId = 'plot-clip';
    var defs = el('defs', {}, svg);
    var cp = el('clipPath', { id: clipId }, defs);
    el('rect', { x: GUTTER, y: 0, width: W - GUTTER - RIGHT + 8, height: H }, cp);
    hosts.forEach(function (h, i) {
      var g = el('g', { 'class': 'lane-group', 'data-host': h }, svg);
      el('rect', { 'class': 'lane' + (i % 2 ? ' alt' : ''), 'data-host': h, x: 0, y: AXIS + i * LANE, width: W, height: LANE }, g);
      var label = el('text', { 'class': 'lane-label', x: 8, y: AXIS + i * LANE + LANE / 2 + 4 }, g);
      label.textContent = h.length > 13 ? h.slice(0, 12) + '\\u2026' : h;
      el('title', {}, label).textContent = h;
    });
    var axis = el('g', { 'class': 'axis' }, svg);
    var step = tickStep(view.b - view.a, W);
    var first = true;
    for (var t = Math.ceil(view.a / step) * step; t <= view.b; t += step) {
      var px = x(t, W);
      if (px < GUTTER) continue;
      el('line', { x1: px, x2: px, y1: AXIS - 4, y2: H - 8 }, axis);
      var tx = el('text', { x: px + 3, y: AXIS - 10 }, axis);
      tx.textContent = tickLabel(t, step, first);
      first = false;
    }
    var plot = el('g', { 'clip-path': 'url(#' + clipId + ')', 'class': activeFinding >= 0 || selected >= 0 ? 'dim' : '' }, svg);
    var pos = layout(W);
    data.findings.forEach(function (f, fi) {
      if (f.steps.length < 2) return;
      var pts = f.steps.map(function (id) { return pos[id][0] + ',' + pos[id][1]; }).join(' ');
      var hl = fi === activeFinding || (selected >= 0 && events[selected].findings.indexOf(fi) >= 0);
      el('polyline', { 'class': 'chain sev-' + f.sev + (hl ? ' hl' : ''), points: pts, 'data-finding': fi }, plot);
    });
    events.forEach(function (e, i) {
      var p = pos[i];
      var hl = i === selected || (activeFinding >= 0 && e.findings.indexOf(activeFinding) >= 0) || (selected >= 0 && shares(e, events[selected]));
      var r = e.findings.length ? (e.count > 1 ? 8 : 6.5) : 4.5;
      var c = el('circle', {
        'class': 'mark sev-' + e.sev + (e.findings.length ? '' : ' ctx') + (hl ? ' hl' : '') + (i === selected ? ' sel' : ''),
        cx: p[0], cy: p[1], r: r, 'data-id': i, 'data-host': e.host, tabindex: 0, role: 'button'
      }, plot);
      el('title', {}, c).textContent = e.local + '  ' + e.host + '  ' + (e.name || e.kind || '') + (e.count > 1 ? ' \\u00d7' + e.count : '');
    });
  }
  function shares(a, b) {
    for (var i = 0; i < a.findings.length; i++) if (b.findings.indexOf(a.findings[i]) >= 0) return true;
    return false;
  }
  // Marks that would overlap in one lane are spread over 4 rows.
  function layout(W) {
    var pos = new Array(events.length);
    var order = events.map(function (e, i) { return i; }).sort(function (i, j) { return events[i].t - events[j].t; });
    var last = hosts.map(function () { return [-1e9, -1e9, -1e9, -1e9]; });
    var rows = [0, -16, 16, -8, 8];
    order.forEach(function (i) {
      var e = events[i], lane = laneOf[e.host], px = x(e.t, W);
      var slot = 0;
      for (var s = 0; s < 4; s++) if (px - last[lane][s] >= 14) { slot = s; break; }
      last[lane][slot] = px;
      pos[i] = [px, AXIS + lane * LANE + LANE / 2 + rows[slot]];
    });
    return pos;
  }

  function show(i) {
    selected = i;
    var e = events[i];
    while (detail.firstChild) detail.removeChild(detail.firstChild);
    var h = document.createElement('h2');
    h.textContent = (e.name ? e.name + ' \\u2014 ' : '') + (e.kind || 'event') + (e.count > 1 ? ' \\u00d7' + e.count : '');
    detail.appendChild(h);
    var dl = document.createElement('dl');
    function row(k, v) {
      var dt = document.createElement('dt'); dt.textContent = k; dl.appendChild(dt);
      var dd = document.createElement('dd'); dd.textContent = v; dl.appendChild(dd);
    }
    row('time (UTC)', e.utc + (e.weak ? '  (estimated)' : ''));
    if (e.local !== e.utc) row('time (' + data.zoneLabel + ')', e.local);
    row('host', e.host);
    row('file:line', e.where);
    if (e.findings.length) row('finding', e.findings.map(function (fi) { return data.findings[fi].title; }).join('; '));
    detail.appendChild(dl);
    var pre = document.createElement('pre');
    pre.className = 'raw';
    pre.id = 'detail-raw';
    pre.textContent = e.text;
    detail.appendChild(pre);
    draw();
  }
  function activate(fi, zoom) {
    activeFinding = activeFinding === fi ? -1 : fi;
    selected = -1;
    Array.prototype.forEach.call(list.children, function (li) {
      li.classList.toggle('active', Number(li.getAttribute('data-finding')) === activeFinding);
    });
    if (activeFinding >= 0 && zoom) {
      var ts = data.findings[fi].steps.map(function (id) { return events[id].t; });
      var r = fitRange(Math.min.apply(null, ts), Math.max.apply(null, ts));
      view.a = r.a; view.b = r.b;
    }
    draw();
  }
  function zoom(factor, centerT) {
    var a = view.a, b = view.b;
    var c = centerT === undefined ? (a + b) / 2 : centerT;
    var na = c - (c - a) * factor, nb = c + (b - c) * factor;
    if (nb - na < 5) return;
    if (nb - na > (full.b - full.a) * 50) return;
    view.a = na; view.b = nb;
    draw();
  }

  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var rect = svg.getBoundingClientRect();
    var W = width();
    var px = (ev.clientX - rect.left) * W / rect.width;
    zoom(ev.deltaY < 0 ? 1 / 1.25 : 1.25, tAt(px, W));
  }, { passive: false });
  var drag = null;
  svg.addEventListener('pointerdown', function (ev) {
    if (ev.target && ev.target.classList && ev.target.classList.contains('mark')) return;
    drag = { x: ev.clientX, a: view.a, b: view.b, moved: false };
    svg.classList.add('dragging');
    if (svg.setPointerCapture) svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener('pointermove', function (ev) {
    if (!drag) return;
    var rect = svg.getBoundingClientRect();
    var W = width();
    var dx = (ev.clientX - drag.x) * W / rect.width;
    if (Math.abs(dx) > 2) drag.moved = true;
    var dt = dx / (W - GUTTER - RIGHT) * (drag.b - drag.a);
    view.a = drag.a - dt; view.b = drag.b - dt;
    draw();
  });
  function endDrag() { drag = null; svg.classList.remove('dragging'); }
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  svg.addEventListener('click', function (ev) {
    var t = ev.target;
    if (t && t.getAttribute && t.getAttribute('data-id') !== null) show(Number(t.getAttribute('data-id')));
  });
  svg.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if ((ev.key === 'Enter' || ev.key === ' ') && t && t.getAttribute && t.getAttribute('data-id') !== null) {
      ev.preventDefault();
      show(Number(t.getAttribute('data-id')));
    }
  });
  document.getElementById('zoom-in').addEventListener('click', function () { zoom(1 / 1.6); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoom(1.6); });
  document.getElementById('zoom-fit').addEventListener('click', function () { view.a = full.a; view.b = full.b; draw(); });
  Array.prototype.forEach.call(list.children, function (li) {
    var fi = Number(li.getAttribute('data-finding'));
    li.addEventListener('click', function () { activate(fi, true); });
    li.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); activate(fi, true); } });
  });
  window.addEventListener('resize', draw);
  draw();
  document.body.setAttribute('data-ready', '1');
})();
`;
