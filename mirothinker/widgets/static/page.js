// The exported page's own stepping, search and filter: a stand-in for the kernel, over the data embedded in the page.
// Hand-edited (not exported by nbdev); appended after viewer.js by mirothinker.widgets.export (see nbs/09_widgets/04_export.ipynb).
// The data is JSON in a script element of type application/json whose every `<`, `>` and `&` is written as a \u escape, so no
// text can end it or change how the page is read; it is parsed with JSON.parse, never run.
function staticModel(state, onSet, onSend) {
  const cbs = {}, dirty = new Set();
  const m = {
    get: k => state[k], set: (k, v) => { state[k] = v; dirty.add(k); },
    save_changes: () => { const ks = [...dirty]; dirty.clear(); onSet(m, ks); },
    on: (ev, cb) => { (cbs[ev] = cbs[ev] || []).push(cb); }, send: msg => onSend(m, msg),
    emit: (...ks) => ks.forEach(k => (cbs['change:' + k] || []).forEach(cb => cb())),
  };
  return m;
}
function summaryOf(steps) {
  // The strip chart's and the context list's columns, from the step payloads (the page does not carry them twice).
  const sm = {index: [], tool: [], call: [], preview: [], tin: [], tout: [], lat: [], badges: []};
  for (const p of steps) {
    const o = p.obs;
    sm.index.push(known(p.index) ? p.index : p.i); sm.tool.push(p.call ? p.call.tool : null);
    sm.call.push(p.call ? oneLine(p.call.args, 48) : oneLine(p.answer || p.thought || p.text || '', 48));
    sm.preview.push(!o ? null : oneLine(o.error || (known(o.json) ? JSON.stringify(o.json) : o.content) || '', 60));
    sm.tin.push(known(p.tin) ? p.tin : null); sm.tout.push(known(p.tout) ? p.tout : null); sm.lat.push(known(p.lat) ? p.lat : null); sm.badges.push(p.badges || []);
  }
  return sm;
}
function stepFromHash(sm, n, key) {
  const m = location.hash.match(new RegExp('^#' + key + '=(-?\\d+)$'));
  if (!m) return null;
  const v = parseInt(m[1]), k = (sm.index || []).indexOf(v);
  return k >= 0 ? k : Math.max(0, Math.min(v, n - 1));
}
function pageViewer(D, el) {
  const n = D.steps.length, sm = summaryOf(D.steps);
  const st = {header: D.header, summary: sm, n: n, step: 0, mode: 'happened', query: '', tool: '', tools: D.tools,
              matches: [...Array(n).keys()], payload: D.steps[0] || {}, expandable: false};
  const text = D.steps.map(p => [p.thought, p.text, p.prompt, p.answer, p.call && p.call.tool, p.call && p.call.args,
                                 p.obs && (known(p.obs.json) ? JSON.stringify(p.obs.json) : p.obs.content), p.obs && p.obs.error].filter(x => x).join('\n').toLowerCase());
  const go = (m, i) => { st.step = Math.max(0, Math.min(i, n - 1)); st.payload = D.steps[st.step] || {}; m.emit('step', 'payload'); };
  const onSet = (m, ks) => {
    if (ks.includes('query') || ks.includes('tool')) {
      const q = st.query.trim().toLowerCase(); st.matches = [];
      for (let i = 0; i < n; i++) if ((!st.tool || (D.steps[i].call && D.steps[i].call.tool === st.tool)) && (!q || text[i].includes(q))) st.matches.push(i);
      if (st.matches.length && !st.matches.includes(st.step)) { st.step = st.matches[0]; st.payload = D.steps[st.step]; }
      m.emit('step', 'payload', 'matches');
    }
    if (ks.includes('step')) go(m, st.step);
    if (ks.includes('mode')) m.emit('mode');
  };
  const onSend = (m, msg) => {
    if (msg.cmd === 'next') { const x = st.matches.find(k => k > st.step); if (x !== undefined) go(m, x); }
    if (msg.cmd === 'prev') { let x; for (const k of st.matches) { if (k >= st.step) break; x = k; } if (x !== undefined) go(m, x); }
  };
  const start = stepFromHash(sm, n, 'step');
  if (start !== null) { st.step = start; st.payload = D.steps[start] || {}; }
  const model = staticModel(st, onSet, onSend);
  renderViewer(model, el, {page: true});
  window.addEventListener('hashchange', () => {          // a link to a step shows that step: a filter that hides it is cleared
    const k = stepFromHash(sm, n, 'step'); if (k === null) return;
    if ((st.query || st.tool) && !st.matches.includes(k)) { st.query = ''; st.tool = ''; st.matches = [...Array(n).keys()]; model.emit('matches'); }
    if (k !== st.step) go(model, k);
  });
}
function diffModel(D) {
  const st = {header: D.header, rows: D.rows, divergence: D.divergence, row: 0, payload_a: {}, payload_b: {}};
  const show = (m, k) => { const r = D.rows[k] || [null, null]; st.row = k;
    st.payload_a = r[0] === null ? {} : D.a[r[0]]; st.payload_b = r[1] === null ? {} : D.b[r[1]]; if (m) m.emit('row'); };
  return {st, show};
}
function pageDiff(D, el, nested) {
  const {st, show} = diffModel(D);
  const m0 = location.hash.match(/^#row=(\d+)$/);
  show(null, !nested && m0 ? Math.min(parseInt(m0[1]), D.rows.length - 1) : Math.max(0, D.divergence));
  const model = staticModel(st, (m, ks) => { if (ks.includes('row')) show(m, st.row); }, () => {});
  return renderDiff(model, el, {page: !nested});
}
// The alignment of two runs, as `mirothinker.widgets.alignment.align` computes it (same similarity, same Needleman-Wunsch,
// same tie-breaking), over the step features the page carries: [label, key id, tool or null, sorted word ids].
function stepSim(f, g) {
  if (f[1] === g[1]) return 1.0;
  if (f[2] === null || g[2] === null) return f[2] === null && g[2] === null ? 0.5 : 0.0;
  if (f[2] !== g[2]) return 0.0;
  const a = f[3], b = g[3];
  if (!a.length && !b.length) return 0.5 + 0.4 * 1.0;
  let i = 0, j = 0, inter = 0;
  while (i < a.length && j < b.length) { if (a[i] === b[j]) { inter++; i++; j++; } else if (a[i] < b[j]) i++; else j++; }
  return 0.5 + 0.4 * (inter / (a.length + b.length - inter));
}
function alignFeatures(A, B, gap) {
  gap = gap === undefined ? 0.25 : gap;
  const n = A.length, m = B.length;
  if (n === m || n * m > 4e6) { const out = []; for (let k = 0; k < Math.max(n, m); k++) out.push([k < n ? k : null, k < m ? k : null]); return out; }
  const W = m + 1, S = new Float64Array((n + 1) * W), T = new Uint8Array((n + 1) * W);
  for (let i = 1; i <= n; i++) { S[i * W] = -gap * i; T[i * W] = 1; }
  for (let j = 1; j <= m; j++) { S[j] = -gap * j; T[j] = 2; }
  for (let i = 1; i <= n; i++) {                         // back to front: row i is A's step n - i, column j is B's step m - j
    const fa = A[n - i];
    for (let j = 1; j <= m; j++) {
      const d = S[(i - 1) * W + j - 1] + stepSim(fa, B[m - j]), u = S[(i - 1) * W + j] - gap, l = S[i * W + j - 1] - gap;
      if (d >= u && d >= l) S[i * W + j] = d;
      else if (u >= l) { S[i * W + j] = u; T[i * W + j] = 1; }
      else { S[i * W + j] = l; T[i * W + j] = 2; }
    }
  }
  const out = []; let i = n, j = m;
  while (i || j) {
    const t = T[i * W + j];
    if (t === 0) { out.push([i - 1, j - 1]); i--; j--; } else if (t === 1) { out.push([i - 1, null]); i--; } else { out.push([null, j - 1]); j--; }
  }
  // `out` runs from the end of the reversed runs back to their start, i.e. from the runs' first steps on
  return out.map(([x, y]) => [x === null ? null : n - 1 - x, y === null ? null : m - 1 - y]);
}
function diffData(C, ka, kb) {
  // The data of a diff page for two runs of the comparison page.
  const a = C.runs[ka], b = C.runs[kb], pairs = alignFeatures(a.f, b.f);
  const rows = pairs.map(([i, j]) => [i, j, i === null || j === null ? null : Math.round(stepSim(a.f[i], b.f[j]) * 100) / 100,
                                      i === null ? '' : a.f[i][0], j === null ? '' : b.f[j][0]]);
  let dv = -1;
  for (let k = 0; k < pairs.length; k++) { const [i, j] = pairs[k]; if (i === null || j === null || a.f[i][1] !== b.f[j][1]) { dv = k; break; } }
  const same = a.h.task_id === b.h.task_id;
  return {kind: 'diff', rows, divergence: dv, a: a.s, b: b.s, pairs,
          header: {a: a.h, b: b.h, question_short: oneLine(a.h.question, 200), question_short_b: oneLine(b.h.question, 200), same_task: same, badges: C.badges}};
}
function pageCompare(D, el) {
  const st = {columns: D.columns, rows: D.rows, caption: D.caption, pair: []};
  const diffBox = h('div', {cls: 'mt-cmpdiff'});
  let current = null;
  const onSet = (m, ks) => {
    if (!ks.includes('pair') || st.pair.length !== 2) return;
    if (current) current.remove();
    diffBox.replaceChildren();
    current = pageDiff(diffData(D, st.pair[0], st.pair[1]), diffBox, true);
    diffBox.scrollIntoView({block: 'start'});
  };
  renderCompare(staticModel(st, onSet, () => {}), el, {page: true});
  el.append(diffBox);
}
const D = JSON.parse(document.getElementById('mt-data').textContent);
({viewer: pageViewer, diff: pageDiff, compare: pageCompare})[D.kind](D, document.getElementById('mt-app'));
window.mtReady = performance.now();
