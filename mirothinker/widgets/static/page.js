// The exported page's own stepping, search and filter: a stand-in for the kernel, over the data embedded in the page.
// Hand-edited (not exported by nbdev); appended after viewer.js by mirothinker.widgets.export (see nbs/09_widgets/04_export.ipynb).
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
function pageViewer(D, el) {
  const n = D.steps.length;
  const st = {header: D.header, summary: D.summary, n: n, step: 0, mode: 'happened', query: '', tool: '', tools: D.tools,
              matches: [...Array(n).keys()], payload: D.steps[0] || {}, expandable: false};
  const text = D.steps.map(p => [p.thought, p.text, p.prompt, p.answer, p.call && p.call.tool, p.call && p.call.args,
                                 p.obs && p.obs.content, p.obs && p.obs.error].filter(x => x).join('\n').toLowerCase());
  const go = (m, i) => { st.step = Math.max(0, Math.min(i, n - 1)); st.payload = D.steps[st.step] || {}; m.emit('step', 'payload'); };
  const onSet = (m, ks) => {
    if (ks.includes('query') || ks.includes('tool')) {
      const q = st.query.trim().toLowerCase(); st.matches = [];
      for (let i = 0; i < n; i++) if ((!st.tool || (D.steps[i].call && D.steps[i].call.tool === st.tool)) && (!q || text[i].includes(q))) st.matches.push(i);
      m.emit('matches'); if (st.matches.length && !st.matches.includes(st.step)) go(m, st.matches[0]);
    }
    if (ks.includes('step')) go(m, st.step);
    if (ks.includes('mode')) m.emit('mode');
  };
  const onSend = (m, msg) => {
    if (msg.cmd === 'next') { const x = st.matches.find(k => k > st.step); if (x !== undefined) go(m, x); }
    if (msg.cmd === 'prev') { const xs = st.matches.filter(k => k < st.step); if (xs.length) go(m, xs[xs.length - 1]); }
  };
  renderViewer(staticModel(st, onSet, onSend), el);
}
function pageDiff(D, el) {
  const st = {header: D.header, rows: D.rows, divergence: D.divergence, row: 0, payload_a: {}, payload_b: {}};
  const show = (m, k) => { const r = D.rows[k] || [null, null]; st.row = k;
    st.payload_a = r[0] === null ? {} : D.a[r[0]]; st.payload_b = r[1] === null ? {} : D.b[r[1]]; if (m) m.emit('row'); };
  show(null, Math.max(0, D.divergence));
  renderDiff(staticModel(st, (m, ks) => { if (ks.includes('row')) show(m, st.row); }, () => {}), el);
}
const D = JSON.parse(document.getElementById('mt-data').textContent);
(D.kind === 'diff' ? pageDiff : pageViewer)(D, document.getElementById('mt-app'));
