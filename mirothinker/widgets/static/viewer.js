// The renderer of mirothinker's widgets: TrajectoryViewer, TrajectoryDiff, the run table, and the exported page.
// Hand-edited (not exported by nbdev); read by mirothinker.widgets.viewer (see nbs/09_widgets/02_viewer.ipynb).
// It only draws: the state comes from Python (or, in the exported page, from page.js), and it writes back what the user did.
// Class names starting `mt-` are what tests/test_widgets_browser.py looks for.
function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'cls') e.className = v;
    else if (k === 'value') e.value = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids.flat(3)) if (c !== null && c !== undefined && c !== false && c !== '') e.append(c instanceof Node ? c : String(c));
  return e;
}
function svg(tag, attrs) { const e = document.createElementNS('http://www.w3.org/2000/svg', tag); for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v); return e; }
function fmt(x, d) { return x === null || x === undefined ? '' : (d === undefined ? String(x) : Number(x).toFixed(d)); }
function collapsible(text, cls) {
  const pre = h('pre', {cls: 'mt-pre ' + (cls || '')}, text);
  if (text.length <= 700 && (text.match(/\n/g) || []).length < 10) return pre;
  pre.classList.add('mt-collapsed');
  const b = h('button', {cls: 'mt-more', onclick: () => { const c = pre.classList.toggle('mt-collapsed'); b.textContent = c ? 'expand' : 'collapse'; }}, 'expand');
  return h('div', {}, pre, b);
}
function badges(names, info) {
  return (names || []).map(n => { const i = (info || {})[n] || ['info', n]; return h('span', {cls: 'mt-badge mt-' + i[0], title: i[1]}, n.replace(/_/g, ' ')); });
}
function kv(pairs) { return h('div', {cls: 'mt-kv'}, pairs.filter(p => p[1] !== null && p[1] !== undefined && p[1] !== '').map(([k, v]) => [h('div', {}, k), h('div', {}, v)])); }
function header(hd) {
  return h('div', {cls: 'mt-head'},
    h('div', {cls: 'mt-title'}, hd.id, ' · ', hd.status, hd.verdict ? ' · ' + hd.verdict : '', hd.live ? ' · ' + hd.live : ''),
    kv([['task', hd.question ? collapsible(hd.question, '') : ''], ['answer', hd.answer ? collapsible(hd.answer, 'mt-answer') : '(none)'],
        ['reference', hd.reference], ['verdict', hd.verdict], ['why', hd.reason], ['model', hd.model], ['run', hd.info]]));
}
function stepPanel(p, info, onExpand) {
  if (!p || p.i === undefined) return h('div', {cls: 'mt-step mt-note'}, 'No step to show.');
  const parts = [h('div', {cls: 'mt-stephead'}, h('b', {cls: 'mt-step-index'}, 'Step ' + p.i),
      p.agent && p.agent !== 'main' ? ' · ' + p.agent : '', p.kind && p.kind !== 'act' ? ' · ' + p.kind : '',
      p.tin !== null && p.tin !== undefined ? ' · ' + p.tin + ' tokens in' : '', p.tout !== null && p.tout !== undefined ? ', ' + p.tout + ' out' : '',
      p.lat !== null && p.lat !== undefined ? ' · ' + fmt(p.lat, 2) + ' s' : '', ' ', badges(p.badges, info))];
  if (p.reasons && p.reasons.length) parts.push(h('div', {cls: 'mt-why'}, p.reasons.join(' · ')));
  if (p.prompt) parts.push(h('div', {cls: 'mt-label'}, 'user message before this step'), collapsible(p.prompt, ''));
  if (p.thought) parts.push(h('div', {cls: 'mt-label'}, 'thought'), collapsible(p.thought, 'mt-thought'));
  if (p.text) parts.push(h('div', {cls: 'mt-label'}, 'full output'), collapsible(p.text, ''));
  if (p.call) parts.push(h('div', {cls: 'mt-label'}, 'tool call'),
      h('div', {cls: 'mt-call'}, p.call.server ? h('span', {cls: 'mt-legend'}, p.call.server + ' / ') : '', h('b', {cls: 'mt-tool'}, p.call.tool)),
      collapsible(p.call.args || '', 'mt-args'));
  if (p.obs) {
    parts.push(h('div', {cls: 'mt-label'}, 'observation', p.obs.duration !== null && p.obs.duration !== undefined ? ' (' + fmt(p.obs.duration, 2) + ' s)' : ''));
    if (p.obs.error) parts.push(collapsible(p.obs.error, 'mt-error'));
    if (p.obs.content !== null && p.obs.content !== undefined) parts.push(collapsible(p.obs.content, 'mt-obs'));
  } else if (p.missing) parts.push(h('div', {cls: 'mt-note'}, 'The tool was called, but its result was not recorded in this trace.'));
  if (p.answer) parts.push(h('div', {cls: 'mt-label'}, 'answer'), collapsible(p.answer, 'mt-answer'));
  const cut = Object.entries(p.cut || {});
  if (cut.length) parts.push(h('div', {cls: 'mt-note'}, 'Cut for display: ' + cut.map(([k, v]) => k + ' (' + v + ' chars)').join(', ') + '. ',
      onExpand ? h('button', {cls: 'mt-more mt-full', onclick: onExpand}, 'load in full') : ''));
  return h('div', {cls: 'mt-step'}, parts);
}
function seenPanel(p, sm, hd, jump) {
  if (!p || p.i === undefined) return '';
  const out = [];
  if (!hd.retention_known) out.push(h('div', {cls: 'mt-note mt-seen-note'}, hd.retention_note));
  else if (p.n_results === undefined) out.push(h('div', {cls: 'mt-note mt-seen-note'}, 'Counting what the model saw at step ' + p.i + '…'));
  else out.push(h('div', {cls: 'mt-note mt-seen-note'}, 'What the model saw at step ' + p.i + ': the system prompt, the task, its own earlier messages and ' +
      (p.n_results - p.n_hidden) + ' of ' + p.n_results + ' tool results; the ' + p.n_hidden + ' greyed out read "Tool result is omitted to save tokens."' +
      (p.ctx && p.ctx.messages ? ' (' + p.ctx.messages + ' messages, ' + p.ctx.chars + ' characters)' : '')));
  const hid = new Set(); for (const [a, b] of p.hidden || []) for (let k = a; k <= b; k++) hid.add(k);
  const rows = []; let k = 0;
  while (k < p.i) {
    if (hid.has(k)) { let e = k; while (e + 1 < p.i && hid.has(e + 1)) e++; const s = k;
      rows.push(h('div', {cls: 'mt-ctx mt-hidden', onclick: () => jump(s)}, e > k ? 'steps ' + k + '-' + e + ': results omitted (' + (e - k + 1) + ')' : 'step ' + k + ': result omitted')); k = e + 1; continue; }
    const s = k, tool = sm.tool[k];
    rows.push(h('div', {cls: 'mt-ctx', onclick: () => jump(s)}, '[' + k + '] ', tool ? h('b', {}, tool) : '(no call) ', ' ', sm.call[k] || '', tool ? ' -> ' + (sm.preview[k] === null ? '(not recorded)' : sm.preview[k]) : ''));
    k++;
  }
  rows.push(h('div', {cls: 'mt-ctx mt-cur'}, '[' + p.i + '] this step'));
  const box = h('div', {cls: 'mt-ctxbox'}, rows.length > 400 ? [h('div', {cls: 'mt-note'}, (rows.length - 400) + ' earlier rows not listed'), rows.slice(-400)] : rows);
  setTimeout(() => { box.scrollTop = box.scrollHeight; }, 0);
  return h('div', {cls: 'mt-seen'}, out, box);
}
function chart(sm, n) {
  const W = Math.max(n, 1), H = 70, tok = [], lat = [];
  for (let i = 0; i < n; i++) { tok.push((sm.tin[i] || 0) + (sm.tout[i] || 0)); lat.push(sm.lat[i] || 0); }
  const mt = Math.max(1, ...tok), ml = Math.max(1e-9, ...lat);
  const el = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', 'class': 'mt-chart'});
  let dt = '', dl = '', db = '', dw = '';
  for (let i = 0; i < n; i++) {
    const a = tok[i] / mt * 30, b = lat[i] / ml * 30;
    if (a > 0) dt += 'M' + i + ' 34h0.85v' + (-a) + 'h-0.85z';
    if (b > 0) dl += 'M' + i + ' 36h0.85v' + b + 'h-0.85z';
    const bs = sm.badges[i] || [];
    if (bs.some(x => x === 'error' || x === 'format_error' || x === 'rollback')) db += 'M' + i + ' 0h0.85v3h-0.85z';
    else if (bs.some(x => x !== 'answer')) dw += 'M' + i + ' 0h0.85v3h-0.85z';
  }
  el.append(svg('path', {d: dt, fill: '#6b93d6'}), svg('path', {d: dl, fill: '#e3a34a'}), svg('path', {d: db, fill: '#d33'}), svg('path', {d: dw, fill: '#e3a34a'}),
            svg('line', {x1: 0, x2: W, y1: 35, y2: 35, stroke: '#ccc', 'stroke-width': 0.3, 'vector-effect': 'non-scaling-stroke'}));
  const dim = svg('path', {d: '', fill: '#fff', 'fill-opacity': 0.65});
  const mark = svg('rect', {x: 0, y: 0, width: Math.max(0.9, W / 300), height: H, fill: '#d33', 'fill-opacity': 0.8, 'class': 'mt-mark'});
  el.append(dim, mark);
  const legend = 'blue: tokens in + out per step' + (tok.some(x => x > 0) ? ' (max ' + Math.max(...tok) + ')' : ' (not recorded)') +
    ' · orange: latency' + (lat.some(x => x > 0) ? ' (max ' + Math.max(...lat).toFixed(2) + ' s)' : ' (not recorded)') + ' · top ticks: trouble';
  return {el, legend, dim, mark, W};
}
function renderViewer(model, el) {
  const root = h('div', {cls: 'mt-root mt-viewer'}); el.append(root);
  const head = h('div'), stepBox = h('div'), seenBox = h('div'), count = h('span', {cls: 'mt-count'});
  const slider = h('input', {type: 'range', min: 0, step: 1, cls: 'mt-slider'});
  const jumpIn = h('input', {type: 'number', min: 0, cls: 'mt-jump', placeholder: 'step'});
  const search = h('input', {type: 'search', placeholder: 'search text', cls: 'mt-search'});
  const toolSel = h('select', {cls: 'mt-toolsel'});
  const happened = h('button', {cls: 'mt-mode mt-happened', onclick: () => { model.set('mode', 'happened'); model.save_changes(); }}, 'what happened');
  const seen = h('button', {cls: 'mt-mode mt-seen-btn', onclick: () => { model.set('mode', 'seen'); model.save_changes(); }}, 'what the model saw');
  const setStep = i => { model.set('step', Math.max(0, Math.min(i, model.get('n') - 1))); model.save_changes(); };
  slider.addEventListener('input', () => setStep(parseInt(slider.value)));
  jumpIn.addEventListener('change', () => { if (jumpIn.value !== '') setStep(parseInt(jumpIn.value)); });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { model.set('query', search.value); model.save_changes(); }, 250); });
  toolSel.addEventListener('change', () => { model.set('tool', toolSel.value); model.save_changes(); });
  const controls = h('div', {cls: 'mt-controls'},
    h('button', {cls: 'mt-prev', title: 'previous matching step', onclick: () => model.send({cmd: 'prev'})}, '◀ prev'), slider,
    h('button', {cls: 'mt-next', title: 'next matching step', onclick: () => model.send({cmd: 'next'})}, 'next ▶'),
    h('span', {cls: 'mt-pos'}), jumpIn, happened, seen);
  const filters = h('div', {cls: 'mt-controls'}, search, toolSel, count);
  const chartBox = h('div'), legend = h('div', {cls: 'mt-legend'});
  root.append(head, controls, filters, chartBox, legend, seenBox, stepBox);
  let ch = null;
  const drawHead = () => { head.replaceChildren(header(model.get('header'))); };
  const drawChart = () => {
    const n = model.get('n'); ch = chart(model.get('summary'), n);
    ch.el.addEventListener('click', ev => { const r = ch.el.getBoundingClientRect(); setStep(Math.floor((ev.clientX - r.left) / r.width * ch.W)); });
    chartBox.replaceChildren(ch.el); legend.textContent = ch.legend; slider.max = Math.max(0, n - 1); drawTools(); drawMatches(); drawPos();
  };
  const drawTools = () => {
    const cur = model.get('tool');
    toolSel.replaceChildren(h('option', {value: ''}, 'all tools'), ...(model.get('tools') || []).map(t => { const o = h('option', {value: t}, t); if (t === cur) o.selected = true; return o; }));
  };
  const drawMatches = () => {
    const m = model.get('matches') || [], n = model.get('n'), on = new Set(m);
    count.textContent = (model.get('query') || model.get('tool')) ? m.length + ' of ' + n + ' steps match' : n + ' steps';
    if (!ch) return; let d = '';
    if (m.length < n) for (let i = 0; i < n; i++) if (!on.has(i)) d += 'M' + i + ' 0h1v70h-1z';
    ch.dim.setAttribute('d', d);
  };
  const drawPos = () => {
    const i = model.get('step'), n = model.get('n'); slider.value = i;
    root.querySelector('.mt-pos').textContent = n ? 'step ' + i + ' of ' + (n - 1) : 'no steps';
    if (ch) ch.mark.setAttribute('x', i);
  };
  const drawStep = () => {
    const p = model.get('payload'), mode = model.get('mode'), info = model.get('header').badges;
    happened.classList.toggle('mt-on', mode === 'happened'); seen.classList.toggle('mt-on', mode === 'seen');
    stepBox.replaceChildren(stepPanel(p, info, model.get('expandable') ? () => model.send({cmd: 'expand'}) : null));
    seenBox.replaceChildren(mode === 'seen' ? seenPanel(p, model.get('summary'), model.get('header'), setStep) : '');
  };
  model.on('change:header', drawHead); model.on('change:summary', drawChart); model.on('change:n', drawChart);
  model.on('change:tools', drawTools); model.on('change:matches', drawMatches); model.on('change:step', drawPos);
  model.on('change:payload', drawStep); model.on('change:mode', drawStep);
  drawHead(); drawChart(); drawStep();
}
function renderDiff(model, el) {
  const root = h('div', {cls: 'mt-root mt-diff'}); el.append(root);
  const hd = model.get('header'), rows = model.get('rows'), dv = model.get('divergence');
  const side = x => h('div', {}, header(x));
  const note = dv < 0 ? 'The two runs make the same calls throughout.' :
    'First divergence at row ' + dv + ' (step ' + (rows[dv][0] === null ? '-' : rows[dv][0]) + ' of A, step ' + (rows[dv][1] === null ? '-' : rows[dv][1]) + ' of B).';
  const table = h('div', {cls: 'mt-dtable'});
  const kind = r => r[0] === null || r[1] === null ? 'mt-gap' : r[2] >= 1 ? 'mt-same' : r[2] >= 0.5 ? 'mt-similar' : 'mt-differ';
  const els = rows.map((r, k) => h('div', {cls: 'mt-drow ' + kind(r) + (k === dv ? ' mt-div' : ''), onclick: () => { model.set('row', k); model.save_changes(); }},
      h('span', {}, r[0] === null ? '' : r[0]), h('span', {title: r[3]}, r[3]), h('span', {}, r[1] === null ? '' : r[1]), h('span', {title: r[4]}, r[4])));
  table.append(h('div', {cls: 'mt-drow'}, h('b', {}, 'A'), h('b', {}, hd.a.id), h('b', {}, 'B'), h('b', {}, hd.b.id)), ...els);
  const details = h('div', {cls: 'mt-cols'});
  const draw = () => {
    const k = model.get('row');
    els.forEach((e, j) => e.classList.toggle('mt-sel', j === k));
    details.replaceChildren(h('div', {}, h('div', {cls: 'mt-label'}, 'A, row ' + k), stepPanel(model.get('payload_a'), hd.badges, null)),
                            h('div', {}, h('div', {cls: 'mt-label'}, 'B, row ' + k), stepPanel(model.get('payload_b'), hd.badges, null)));
  };
  root.append(h('div', {cls: 'mt-title'}, 'Task: ', hd.question_short), h('div', {cls: 'mt-cols'}, side(hd.a), side(hd.b)),
    h('div', {cls: 'mt-divmark mt-divnote'}, note), h('div', {cls: 'mt-legend'}, 'rows: grey same call, yellow same tool, red different, light grey unpaired; red line: first divergence; click a row'),
    table, details);
  model.on('change:payload_a', draw); model.on('change:payload_b', draw); model.on('change:row', draw);
  draw();
  setTimeout(() => { if (dv >= 0 && els[dv]) table.scrollTop = Math.max(0, els[dv].offsetTop - table.offsetTop - 40); }, 0);
}
function renderTable(model, el) {
  const root = h('div', {cls: 'mt-root mt-runs'}); el.append(root);
  const draw = () => {
    const cols = model.get('columns'), sort = model.get('sort'), asc = model.get('ascending'), sel = model.get('selected');
    const th = cols.map(c => h('th', {onclick: () => { if (c === sort) model.set('ascending', !asc); else { model.set('sort', c); model.set('ascending', c === 'id' || c === 'task'); } model.save_changes(); }},
                                c + (c === sort ? (asc ? ' ▲' : ' ▼') : '')));
    const trs = model.get('rows').map(r => h('tr', {cls: r[0] === sel ? 'mt-sel' : '', onclick: () => { model.set('selected', r[0]); model.save_changes(); }},
                                              r.map(v => h('td', {title: String(v)}, v === null ? '' : v))));
    root.replaceChildren(h('div', {cls: 'mt-legend'}, model.get('caption')), h('table', {cls: 'mt-table'}, h('thead', {}, h('tr', {}, th)), h('tbody', {}, trs)));
  };
  for (const k of ['rows', 'columns', 'sort', 'ascending', 'selected', 'caption']) model.on('change:' + k, draw);
  draw();
}
