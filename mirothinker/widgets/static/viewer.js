// The renderer of mirothinker's widgets: TrajectoryViewer, TrajectoryDiff, the run table, the comparison table, and the
// exported page. Hand-edited (not exported by nbdev); read by mirothinker.widgets.viewer (see nbs/09_widgets/02_viewer.ipynb).
// It only draws: the state comes from Python (or, in the exported page, from page.js), and it writes back what the user did.
// Every text is put on the page as text (DOM nodes, never innerHTML): no text of a trace can add markup or run script.
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
function known(x) { return x !== null && x !== undefined; }
function oneLine(s, n) { s = String(s === null || s === undefined ? '' : s).slice(0, 4 * n + 200).replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n - 1) + '…' : s; }

// ---- readable text: folding, safe markdown, JSON ------------------------------------------------------------------
function fold(node, text) {
  // Long text starts folded (16 lines shown); the button says how much there is.
  const lines = (text.match(/\n/g) || []).length + 1;
  if (text.length <= 1200 && lines <= 16) return node;
  const box = h('div', {cls: 'mt-fold mt-collapsed'}, node);
  const label = () => box.classList.contains('mt-collapsed') ? 'show all (' + lines + ' lines, ' + text.length.toLocaleString('en') + ' characters)' : 'fold';
  const b = h('button', {cls: 'mt-more', onclick: () => { box.classList.toggle('mt-collapsed'); b.textContent = label(); }}, '');
  b.textContent = label(); box.append(b);
  return box;
}
function collapsible(text, cls) { text = String(text); return fold(h('pre', {cls: 'mt-pre ' + (cls || '')}, text), text); }
function safeHref(u) {
  // Only web and mail links become links; `javascript:`, `data:`, relative and other addresses stay text.
  u = String(u || '').trim();
  return /^(https?:\/\/|mailto:)[^\s\x00-\x1f]+$/i.test(u) ? u : null;
}
const MD_INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([\s\S]+?)\*\*|__([^_][\s\S]*?)__|\*([^*\s](?:[^*]*[^*\s])?)\*|!?\[([^\]\n]{0,500})\]\(([^()\s]{0,2000})(?:\s+"[^"\n]{0,200}")?\)|(https?:\/\/[^\s<>()"'\]]+[^\s<>()"'.,;:!?\]])/g;
function mdInline(text) {
  const out = [], re = new RegExp(MD_INLINE.source, 'g'); let last = 0, m;     // its own regex: the calls nest
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(h('code', {}, m[2]));
    else if (m[3] !== undefined) out.push(h('b', {}, mdInline(m[3])));
    else if (m[4] !== undefined) out.push(h('b', {}, mdInline(m[4])));
    else if (m[5] !== undefined) out.push(h('i', {}, mdInline(m[5])));
    else if (m[6] !== undefined) {
      const href = safeHref(m[7]), img = m[0][0] === '!';
      if (img) out.push('[image: ' + m[6] + '] (' + m[7] + ')');          // never fetched: the page stays offline
      else out.push(href ? h('a', {href, target: '_blank', rel: 'noopener noreferrer nofollow'}, m[6]) : m[6] + ' (' + m[7] + ')');
    } else if (m[8]) out.push(h('a', {href: m[8], target: '_blank', rel: 'noopener noreferrer nofollow'}, m[8]));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
const MD_BLOCK = /^\s{0,3}(#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>|```|~~~|\|)/;
function looksMarkdown(t) {
  // A `## heading`, two markdown lines (lists, quotes, fences, tables), one with emphasis or a link, or two emphases or links.
  if (!t || t.length < 20) return false;
  let n = 0;
  for (const l of t.split('\n', 400)) { if (/^\s{0,3}#{2,6}\s\S/.test(l)) return true; if (MD_BLOCK.test(l) && ++n >= 2) return true; }
  const inline = (t.slice(0, 20000).match(/\*\*[^*\n]+\*\*|\[[^\]\n]+\]\(https?:\/\/[^)\s]+\)/g) || []).length;
  return inline >= 2 || (n >= 1 && inline >= 1);
}
function mdTable(rows) {
  const cells = l => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map(c => c.trim());
  const head = cells(rows[0]);
  return h('table', {}, h('thead', {}, h('tr', {}, head.map(c => h('th', {}, mdInline(c))))),
           h('tbody', {}, rows.slice(2).map(r => h('tr', {}, cells(r).map(c => h('td', {}, mdInline(c)))))));
}
function mdBlocks(text, depth) {
  const L = text.split(/\r?\n/), out = []; let i = 0;
  const isSep = l => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(l);
  const item = /^(\s*)([-*+]|\d{1,3}[.)])\s+([^\n]*)$/;
  while (i < L.length) {
    const l = L[i];
    if (!l.trim()) { i++; continue; }
    let m;
    if ((m = l.match(/^\s{0,3}(```|~~~)/))) {
      const fence = m[1], body = []; i++;
      while (i < L.length && !L[i].trim().startsWith(fence)) body.push(L[i++]);
      i++; out.push(h('pre', {cls: 'mt-pre'}, body.join('\n'))); continue;
    }
    if ((m = l.match(/^\s{0,3}(#{1,6})\s+([^\n]*?)\s*#*\s*$/))) { out.push(h('div', {cls: 'mt-h mt-h' + m[1].length}, mdInline(m[2]))); i++; continue; }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(l)) { out.push(h('hr')); i++; continue; }
    if (/^\s{0,3}>/.test(l)) {
      const q = []; while (i < L.length && /^\s{0,3}>/.test(L[i])) q.push(L[i++].replace(/^\s{0,3}>\s?/, ''));
      out.push(h('blockquote', {}, depth < 4 ? mdBlocks(q.join('\n'), depth + 1) : q.join('\n'))); continue;
    }
    if (l.includes('|') && i + 1 < L.length && isSep(L[i + 1])) {
      const rows = [l, L[i + 1]]; i += 2;
      while (i < L.length && L[i].includes('|') && L[i].trim()) rows.push(L[i++]);
      out.push(mdTable(rows)); continue;
    }
    if ((m = l.match(item))) {
      const ordered = /\d/.test(m[2]), list = h(ordered ? 'ol' : 'ul');
      if (ordered && parseInt(m[2]) !== 1) list.setAttribute('start', parseInt(m[2]));
      while (i < L.length && (m = L[i].match(item)) && /\d/.test(m[2]) === ordered) {
        const li = h('li', {}, mdInline(m[3])); const ind = m[1].length;
        if (ind >= 2) li.style.marginLeft = Math.min(ind, 12) * 0.6 + 'em';
        i++;
        while (i < L.length && L[i].trim() && !item.test(L[i]) && !MD_BLOCK.test(L[i]) && /^\s+/.test(L[i])) li.append(' ', ...mdInline(L[i++].trim()));
        list.append(li);
      }
      out.push(list); continue;
    }
    const para = [];
    while (i < L.length && L[i].trim() && !(para.length && MD_BLOCK.test(L[i])) && !(L[i].includes('|') && i + 1 < L.length && isSep(L[i + 1]))) para.push(L[i++]);
    if (!para.length) para.push(L[i++]);
    out.push(h('p', {}, mdInline(para.join('\n'))));
  }
  return out;
}
function markdown(text, cls) { return h('div', {cls: 'mt-md ' + (cls || '')}, mdBlocks(String(text), 0)); }
function jsonView(v, depth) {
  depth = depth || 0;
  if (v === null || typeof v !== 'object') {
    if (typeof v !== 'string' || !v) return h('span', {cls: 'mt-jlit'}, JSON.stringify(v));
    if (v.length <= 100 && !v.includes('\n')) return h('span', {cls: 'mt-jstr'}, v);
    return looksMarkdown(v) ? markdown(v) : h('pre', {cls: 'mt-pre'}, v);
  }
  const entries = Array.isArray(v) ? v.map((x, k) => ['[' + k + ']', x]) : Object.entries(v);
  if (!entries.length) return h('span', {cls: 'mt-jlit'}, Array.isArray(v) ? '[]' : '{}');
  if (depth > 12) return h('pre', {cls: 'mt-pre'}, JSON.stringify(v, null, 2));
  return h('div', {cls: depth ? 'mt-jnest' : ''}, entries.map(([k, x]) => {
    const inline = x === null || typeof x !== 'object' ? (typeof x !== 'string' || (x.length <= 100 && !x.includes('\n'))) : false;
    return h('div', {cls: 'mt-jrow'}, h('span', {cls: 'mt-jkey'}, k), ': ', inline ? jsonView(x, depth + 1) : '', inline ? '' : jsonView(x, depth + 1));
  }));
}
function rendered(label, view, raw, cls) {
  // A label with a 'raw' button, and the text rendered (markdown or JSON) or as it was written.
  const box = h('div'); let isRaw = false;
  const btn = h('button', {cls: 'mt-toggle', title: 'show the text as recorded / rendered', onclick: () => { isRaw = !isRaw; draw(); }}, 'raw');
  const draw = () => { btn.textContent = isRaw ? 'rendered' : 'raw';
    box.replaceChildren(fold(isRaw ? h('pre', {cls: 'mt-pre ' + (cls || '')}, raw) : view(), raw)); };
  draw();
  return [h('div', {cls: 'mt-label'}, label, btn), box];
}
function textField(label, text, cls) {
  // A labelled text: markdown rendered (with a 'raw' button) when it looks like markdown, else as it was written.
  text = String(text);
  if (looksMarkdown(text)) return rendered(label, () => markdown(text, cls), text, cls);
  return [h('div', {cls: 'mt-label'}, label), collapsible(text, cls)];
}
function badges(names, info) {
  return (names || []).map(n => { const i = (info || {})[n] || ['info', n]; return h('span', {cls: 'mt-badge mt-' + i[0], title: i[1]}, n.replace(/_/g, ' ')); });
}
function kv(pairs) { return h('div', {cls: 'mt-kv'}, pairs.filter(p => p[1] !== null && p[1] !== undefined && p[1] !== '').map(([k, v]) => [h('div', {}, k), h('div', {}, v)])); }
function clampLine(k, text, cls) {
  // One line of the header, cut to fit; a click shows it in full.
  const v = h('span', {cls: 'mt-clamp ' + (cls || ''), title: 'click to show in full'}, String(text));
  v.addEventListener('click', () => v.classList.toggle('mt-open'));
  return h('div', {cls: 'mt-line'}, h('span', {cls: 'mt-k'}, k), v);
}
function header(hd) {
  // Compact: a title line, the task and the answer on one line each; the rest behind 'details'.
  const details = h('div', {cls: 'mt-details', hidden: true},
    kv([['task', hd.question ? collapsible(hd.question, '') : ''], ['answer', hd.answer ? (looksMarkdown(hd.answer) ? fold(markdown(hd.answer, 'mt-answer'), hd.answer) : collapsible(hd.answer, 'mt-answer')) : '(none)'],
        ['reference', hd.reference], ['verdict', hd.verdict], ['why', hd.reason], ['model', hd.model], ['run', hd.info], ['seen', hd.retention_note]]));
  const btn = h('button', {cls: 'mt-more mt-detbtn', onclick: () => { details.hidden = !details.hidden; btn.textContent = details.hidden ? 'details' : 'hide details'; }}, 'details');
  return h('div', {cls: 'mt-head'},
    h('div', {cls: 'mt-title'}, hd.id, ' · ', hd.status, hd.verdict ? ' · ' + hd.verdict : '', hd.live ? ' · ' + hd.live : '', ' ',
      h('span', {cls: 'mt-sub'}, [hd.model, hd.info].filter(x => x).join(' · ')), ' ', btn),
    clampLine('task', hd.question || '(no question recorded)'),
    clampLine('answer', (hd.answer ? oneLine(hd.answer.replace(/\*\*|__|^\s{0,3}#{1,6}\s+/gm, ''), 400) : '(none)') + (hd.reference ? '   · reference: ' + hd.reference : '') + (hd.reason ? '   · why: ' + hd.reason : '')),
    details);
}

// ---- one step ---------------------------------------------------------------------------------------------------------
function obsView(o) {
  const label = 'observation' + (known(o.duration) ? ' (' + fmt(o.duration, 2) + ' s)' : '') + (o.truncated ? ' · cut by the tool' : '');
  const parts = [];
  if (o.error) parts.push(h('div', {cls: 'mt-label'}, label), collapsible(o.error, 'mt-error'));
  if (known(o.json)) parts.push(rendered(o.error ? '' : label, () => h('div', {cls: 'mt-json mt-obs'}, jsonView(o.json)), JSON.stringify(o.json, null, 2), 'mt-obs'));
  else if (known(o.content)) parts.push(o.error ? collapsible(o.content, 'mt-obs') : textField(label, o.content, 'mt-obs'));
  if (!parts.length) parts.push(h('div', {cls: 'mt-label'}, label), h('div', {cls: 'mt-note'}, '(empty)'));
  return parts;
}
function stepPanel(p, info, onExpand, link) {
  if (!p || p.i === undefined) return h('div', {cls: 'mt-step mt-note'}, 'No step to show.');
  const idx = known(p.index) ? p.index : p.i;
  const parts = [h('div', {cls: 'mt-stephead'}, h('b', {cls: 'mt-step-index'}, 'Step ' + idx),
      link ? h('a', {cls: 'mt-steplink', href: '#step=' + idx, title: 'a link to this step'}, '#') : '',
      p.agent && p.agent !== 'main' ? ' · ' + p.agent : '', p.kind && p.kind !== 'act' ? ' · ' + p.kind : '',
      known(p.tin) ? ' · ' + p.tin + ' tokens in' : '', known(p.tout) ? ', ' + p.tout + ' out' : '',
      known(p.lat) ? ' · ' + fmt(p.lat, 2) + ' s' : '', ' ', badges(p.badges, info))];
  if (p.reasons && p.reasons.length) parts.push(h('div', {cls: 'mt-why'}, p.reasons.join(' · ')));
  if (p.prompt) parts.push(textField('user message before this step', p.prompt, ''));
  if (p.thought) parts.push(h('div', {cls: 'mt-label'}, 'thought'), collapsible(p.thought, 'mt-thought'));
  if (p.text) parts.push(h('div', {cls: 'mt-label'}, 'full output'), collapsible(p.text, ''));
  if (p.call) parts.push(h('div', {cls: 'mt-label'}, 'tool call'),
      h('div', {cls: 'mt-call'}, p.call.server ? h('span', {cls: 'mt-legend'}, p.call.server + ' / ') : '', h('b', {cls: 'mt-tool'}, p.call.tool)),
      collapsible(p.call.args || '', 'mt-args'));
  if (p.obs) parts.push(obsView(p.obs));
  else if (p.missing) parts.push(h('div', {cls: 'mt-note'}, 'The tool was called, but its result was not recorded in this trace.'));
  if (p.answer) parts.push(textField('answer', p.answer, 'mt-answer'));
  const cut = Object.entries(p.cut || {});
  if (cut.length) parts.push(h('div', {cls: 'mt-note'}, 'Cut for display: ' + cut.map(([k, v]) => k + ' (' + v + ' chars)').join(', ') + '. ',
      onExpand ? h('button', {cls: 'mt-more mt-full', onclick: onExpand}, 'load in full') : ''));
  return h('div', {cls: 'mt-step'}, parts);
}
function seenPanel(p, sm, hd, jump) {
  if (!p || p.i === undefined) return '';
  const out = [], ix = k => (sm.index && known(sm.index[k])) ? sm.index[k] : k;
  if (!hd.retention_known) out.push(h('div', {cls: 'mt-note mt-seen-note'}, hd.retention_note));
  else if (p.n_results === undefined) out.push(h('div', {cls: 'mt-note mt-seen-note'}, 'Counting what the model saw at step ' + ix(p.i) + '…'));
  else out.push(h('div', {cls: 'mt-note mt-seen-note'}, 'What the model saw at step ' + ix(p.i) + ': the system prompt, the task, its own earlier messages and ' +
      (p.n_results - p.n_hidden) + ' of ' + p.n_results + ' tool results; the ' + p.n_hidden + ' greyed out read "Tool result is omitted to save tokens."' +
      (p.ctx && p.ctx.messages ? ' (' + p.ctx.messages + ' messages, ' + p.ctx.chars + ' characters)' : '')));
  const hid = (k) => (p.hidden || []).some(([a, b]) => a <= k && k <= b);
  const rows = []; const LIMIT = 400; let k = Math.max(0, p.i - LIMIT);       // only the last rows are built
  if (k > 0) rows.push(h('div', {cls: 'mt-note'}, k + ' earlier rows not listed'));
  while (k < p.i) {
    if (hid(k)) { let e = k; while (e + 1 < p.i && hid(e + 1)) e++; const s = k;
      rows.push(h('div', {cls: 'mt-ctx mt-hidden', onclick: () => jump(s)}, e > k ? 'steps ' + ix(k) + '-' + ix(e) + ': results omitted (' + (e - k + 1) + ')' : 'step ' + ix(k) + ': result omitted')); k = e + 1; continue; }
    const s = k, tool = sm.tool[k];
    rows.push(h('div', {cls: 'mt-ctx', onclick: () => jump(s)}, '[' + ix(k) + '] ', tool ? h('b', {}, tool) : '(no call) ', ' ', sm.call[k] || '', tool ? ' -> ' + (sm.preview[k] === null || sm.preview[k] === undefined ? '(not recorded)' : sm.preview[k]) : ''));
    k++;
  }
  rows.push(h('div', {cls: 'mt-ctx mt-cur'}, '[' + ix(p.i) + '] this step'));
  const box = h('div', {cls: 'mt-ctxbox'}, rows);
  setTimeout(() => { box.scrollTop = box.scrollHeight; }, 0);
  return h('div', {cls: 'mt-seen'}, out, box);
}

// ---- the strip chart ---------------------------------------------------------------------------------------------------
const TROUBLE = new Set(['error', 'format_error', 'rollback']);
function chart(sm, n) {
  // Tokens up and latency down from the middle line, one column per step; trouble as ticks along the top edge.
  // The position marker is a caret below the chart (`.mt-marker`), so it never covers a bar.
  const W = Math.max(n, 1), H = 60, tok = [], lat = [];
  for (let i = 0; i < n; i++) { tok.push((sm.tin[i] || 0) + (sm.tout[i] || 0)); lat.push(sm.lat[i] || 0); }
  let mt = 1, ml = 1e-9; for (let i = 0; i < n; i++) { if (tok[i] > mt) mt = tok[i]; if (lat[i] > ml) ml = lat[i]; }
  const el = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', 'class': 'mt-chart'});
  const dt = [], dl = [], db = [], dw = [];
  for (let i = 0; i < n; i++) {
    const a = tok[i] / mt * 24, b = lat[i] / ml * 24;
    if (a > 0) dt.push('M' + i + ' 31h0.85v' + (-a) + 'h-0.85z');
    if (b > 0) dl.push('M' + i + ' 33h0.85v' + b + 'h-0.85z');
    const bs = sm.badges[i] || [];
    if (bs.some(x => TROUBLE.has(x))) db.push('M' + i + ' 0h0.85v5h-0.85z');
    else if (bs.some(x => x !== 'answer')) dw.push('M' + i + ' 0h0.85v5h-0.85z');
  }
  el.append(svg('path', {d: dt.join(''), fill: '#6b93d6', 'class': 'mt-bars-tok'}), svg('path', {d: dl.join(''), fill: '#2a9d8f', 'class': 'mt-bars-lat'}),
            svg('path', {d: db.join(''), fill: '#d1242f', 'class': 'mt-ticks-bad'}), svg('path', {d: dw.join(''), fill: '#e8a317', 'class': 'mt-ticks-warn'}),
            svg('line', {x1: 0, x2: W, y1: 32, y2: 32, stroke: '#ccc', 'stroke-width': 0.3, 'vector-effect': 'non-scaling-stroke'}));
  const dim = svg('path', {d: '', fill: '#fff', 'fill-opacity': 0.7});
  el.append(dim);
  const sw = c => h('span', {cls: 'mt-swatch', style: 'background:' + c});
  const legend = [sw('#6b93d6'), 'tokens in + out per step' + (tok.some(x => x > 0) ? ' (max ' + Math.max(...tok) + ')' : ' (not recorded)'),
    sw('#2a9d8f'), 'latency' + (lat.some(x => x > 0) ? ' (max ' + Math.max(...lat).toFixed(2) + ' s)' : ' (not recorded)'),
    sw('#d1242f'), 'error', sw('#e8a317'), 'other trouble (ticks on top)', h('span', {cls: 'mt-swatch', style: 'background:#1b1f24;width:0;height:0;border-left:4px solid transparent;border-right:4px solid transparent;border-bottom:7px solid #1b1f24;background:none'}), 'this step'];
  return {el, legend, dim, W};
}

// ---- the viewer ----------------------------------------------------------------------------------------------------------
function isTyping(e) { const t = e.target; return t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable); }
function renderViewer(model, el, opts) {
  opts = opts || {};                       // {page: true}: the exported page (keys on the whole document, links #step=N)
  const root = h('div', {cls: 'mt-root mt-viewer', tabindex: 0, 'data-lm-suppress-shortcuts': 'true', 'data-p-suppress-shortcuts': 'true'}); el.append(root);
  const head = h('div'), stepBox = h('div'), seenBox = h('div'), count = h('span', {cls: 'mt-count'});
  const slider = h('input', {type: 'range', min: 0, step: 1, cls: 'mt-slider', title: 'step'});
  const jumpIn = h('input', {type: 'number', min: 0, cls: 'mt-jump', placeholder: 'step', title: 'go to step (its number)'});
  const search = h('input', {type: 'search', placeholder: 'search text', cls: 'mt-search'});
  const toolSel = h('select', {cls: 'mt-toolsel'});
  const happened = h('button', {cls: 'mt-mode mt-happened', onclick: () => { model.set('mode', 'happened'); model.save_changes(); }}, 'what happened');
  const seen = h('button', {cls: 'mt-mode mt-seen-btn', onclick: () => { model.set('mode', 'seen'); model.save_changes(); }}, 'what the model saw');
  const posOf = new Map();
  const indexOf = i => { const sm = model.get('summary') || {}; return sm.index && known(sm.index[i]) ? sm.index[i] : i; };
  const setStep = i => { model.set('step', Math.max(0, Math.min(i, model.get('n') - 1))); model.save_changes(); };
  const goIndex = v => setStep(posOf.has(v) ? posOf.get(v) : v);
  slider.addEventListener('input', () => setStep(parseInt(slider.value)));
  jumpIn.addEventListener('change', () => { if (jumpIn.value !== '') goIndex(parseInt(jumpIn.value)); });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { model.set('query', search.value); model.save_changes(); }, 250); });
  toolSel.addEventListener('change', () => { model.set('tool', toolSel.value); model.save_changes(); });
  const prevB = h('button', {cls: 'mt-prev', title: 'previous matching step (← or k)', onclick: () => model.send({cmd: 'prev'})}, '◀ prev');
  const nextB = h('button', {cls: 'mt-next', title: 'next matching step (→ or j)', onclick: () => model.send({cmd: 'next'})}, 'next ▶');
  const controls = h('div', {cls: 'mt-controls'}, prevB, slider, nextB, h('span', {cls: 'mt-pos'}), jumpIn, happened, seen,
    search, toolSel, count, h('span', {cls: 'mt-keys'}, '←/→ or k/j: step · Home/End'));
  const chartBox = h('div', {cls: 'mt-chartwrap'}), marker = h('div', {cls: 'mt-marker'}), legend = h('div', {cls: 'mt-legend'});
  root.append(head, controls, chartBox, legend, seenBox, stepBox);
  let ch = null;
  const filtering = () => !!(model.get('query') || model.get('tool'));
  const noMatch = () => filtering() && !(model.get('matches') || []).length;
  const drawHead = () => { head.replaceChildren(header(model.get('header'))); };
  const drawChart = () => {
    const n = model.get('n'), sm = model.get('summary') || {}; ch = chart(sm, n);
    posOf.clear(); (sm.index || []).forEach((v, k) => { if (!posOf.has(v)) posOf.set(v, k); });
    ch.el.addEventListener('click', ev => { const r = ch.el.getBoundingClientRect(); setStep(Math.floor((ev.clientX - r.left) / r.width * ch.W)); });
    chartBox.replaceChildren(ch.el, marker); legend.replaceChildren(...ch.legend); slider.max = Math.max(0, n - 1); drawTools(); drawMatches(); drawPos();
  };
  const drawTools = () => {
    const cur = model.get('tool');
    toolSel.replaceChildren(h('option', {value: ''}, 'all tools'), ...(model.get('tools') || []).map(t => { const o = h('option', {value: t}, t); if (t === cur) o.selected = true; return o; }));
  };
  const drawMatches = () => {
    const m = model.get('matches') || [], n = model.get('n'), on = new Set(m), q = model.get('query'), t = model.get('tool');
    count.textContent = filtering() ? (m.length ? m.length + ' of ' + n + ' steps match' : 'no step matches' + (q ? ' "' + q + '"' : '') + (t ? ' (tool ' + t + ')' : '')) : n + ' steps';
    count.classList.toggle('mt-nomatch-count', noMatch());
    prevB.disabled = nextB.disabled = noMatch();
    if (search.value !== (q || '') && (document.activeElement !== search || !q)) search.value = q || '';   // cleared elsewhere: clear the box
    if (ch) { const d = []; if (m.length < n) for (let i = 0; i < n; i++) if (!on.has(i)) d.push('M' + i + ' 0h1v60h-1z'); ch.dim.setAttribute('d', d.join('')); }
    drawPos(); drawStep();
  };
  const drawPos = () => {
    const i = model.get('step'), n = model.get('n'); slider.value = i;
    const first = indexOf(0), last = indexOf(n - 1);
    root.querySelector('.mt-pos').textContent = !n ? 'no steps' : noMatch() ? 'no step shown' : 'step ' + indexOf(i) + ' · ' + n + ' steps (' + first + '–' + last + ')';
    if (document.activeElement !== jumpIn) jumpIn.value = n && !noMatch() ? indexOf(i) : '';
    marker.style.display = n && !noMatch() ? '' : 'none';
    if (ch) marker.style.left = ((i + 0.5) / ch.W * 100) + '%';
    if (opts.page && n && !noMatch()) { const want = '#step=' + indexOf(i); if (location.hash !== want) history.replaceState(null, '', want); }
  };
  const drawStep = () => {
    const p = model.get('payload'), mode = model.get('mode'), info = model.get('header').badges;
    happened.classList.toggle('mt-on', mode === 'happened'); seen.classList.toggle('mt-on', mode === 'seen');
    if (noMatch()) {
      stepBox.replaceChildren(h('div', {cls: 'mt-nomatch'}, 'No step matches ', model.get('query') ? '"' + model.get('query') + '"' : '', model.get('tool') ? ' with tool ' + model.get('tool') : '',
        '. ', h('button', {cls: 'mt-clear', onclick: () => { search.value = ''; model.set('query', ''); model.set('tool', ''); model.save_changes(); }}, 'clear the search')));
      seenBox.replaceChildren(); return;
    }
    stepBox.replaceChildren(stepPanel(p, info, model.get('expandable') ? () => model.send({cmd: 'expand'}) : null, opts.page));
    seenBox.replaceChildren(mode === 'seen' ? seenPanel(p, model.get('summary'), model.get('header'), setStep) : '');
  };
  const onKey = e => {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key, n = model.get('n'), m = model.get('matches') || [];
    if (k === 'ArrowRight' || k === 'j') model.send({cmd: 'next'});
    else if (k === 'ArrowLeft' || k === 'k') model.send({cmd: 'prev'});
    else if (k === 'Home') setStep(filtering() && m.length ? m[0] : 0);
    else if (k === 'End') setStep(filtering() && m.length ? m[m.length - 1] : n - 1);
    else if (k === '/') search.focus();
    else return;
    e.preventDefault(); e.stopPropagation();
  };
  if (opts.page) document.addEventListener('keydown', onKey); else root.addEventListener('keydown', onKey);
  model.on('change:header', drawHead); model.on('change:summary', drawChart); model.on('change:n', drawChart);
  model.on('change:tools', drawTools); model.on('change:matches', drawMatches); model.on('change:step', drawPos);
  model.on('change:payload', drawStep); model.on('change:mode', drawStep);
  drawHead(); drawChart(); drawStep();
  return root;
}

// ---- two runs side by side -------------------------------------------------------------------------------------------
function renderDiff(model, el, opts) {
  opts = opts || {};
  const root = h('div', {cls: 'mt-root mt-diff', tabindex: 0, 'data-lm-suppress-shortcuts': 'true', 'data-p-suppress-shortcuts': 'true'}); el.append(root);
  const hd = model.get('header'), rows = model.get('rows'), dv = model.get('divergence');
  const side = (x, name) => h('div', {}, h('div', {cls: 'mt-label'}, 'run ' + name), header(x));
  const note = dv < 0 ? 'The two runs make the same calls throughout.' :
    'First divergence at row ' + dv + ' (step ' + (rows[dv][0] === null ? '-' : rows[dv][0]) + ' of A, step ' + (rows[dv][1] === null ? '-' : rows[dv][1]) + ' of B).';
  const table = h('div', {cls: 'mt-dtable'});
  const kind = r => r[0] === null || r[1] === null ? 'mt-gap' : r[2] >= 1 ? 'mt-same' : r[2] >= 0.5 ? 'mt-similar' : 'mt-differ';
  const setRow = k => { model.set('row', Math.max(0, Math.min(k, rows.length - 1))); model.save_changes(); };
  const els = rows.map((r, k) => h('div', {cls: 'mt-drow ' + kind(r) + (k === dv ? ' mt-div' : ''), onclick: () => setRow(k)},
      h('span', {}, r[0] === null ? '' : r[0]), h('span', {title: r[3]}, r[3]), h('span', {}, r[1] === null ? '' : r[1]), h('span', {title: r[4]}, r[4])));
  table.append(h('div', {cls: 'mt-drow'}, h('b', {}, 'A'), h('b', {}, hd.a.id), h('b', {}, 'B'), h('b', {}, hd.b.id)), ...els);
  const details = h('div', {cls: 'mt-cols'});
  const draw = () => {
    const k = model.get('row');
    els.forEach((e, j) => e.classList.toggle('mt-sel', j === k));
    details.replaceChildren(h('div', {}, h('div', {cls: 'mt-label'}, 'A, row ' + k), stepPanel(model.get('payload_a'), hd.badges, null)),
                            h('div', {}, h('div', {cls: 'mt-label'}, 'B, row ' + k), stepPanel(model.get('payload_b'), hd.badges, null)));
    if (els[k]) { const top = els[k].offsetTop - table.offsetTop; if (top < table.scrollTop || top > table.scrollTop + table.clientHeight - 20) table.scrollTop = Math.max(0, top - 40); }
    if (opts.page) { const want = '#row=' + k; if (location.hash !== want) history.replaceState(null, '', want); }
  };
  const other = hd.same_task === false ? h('div', {cls: 'mt-warnbox mt-othertask'}, h('b', {}, 'These runs are of different tasks. '),
      'A: ', h('b', {}, hd.a.task_id || ''), ' — ', hd.question_short, h('br'), 'B: ', h('b', {}, hd.b.task_id || ''), ' — ', hd.question_short_b || '') : '';
  root.append(other, h('div', {cls: 'mt-title'}, 'Task: ', hd.question_short), h('div', {cls: 'mt-cols'}, side(hd.a, 'A'), side(hd.b, 'B')),
    h('div', {cls: 'mt-divmark mt-divnote'}, note), h('div', {cls: 'mt-legend'}, 'rows: grey same call, yellow same tool, red different, light grey unpaired; red line: first divergence; click a row, or ↑/↓ or k/j'),
    table, details);
  const onKey = e => {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = model.get('row');
    if (e.key === 'ArrowDown' || e.key === 'j') setRow(k + 1); else if (e.key === 'ArrowUp' || e.key === 'k') setRow(k - 1); else return;
    e.preventDefault(); e.stopPropagation();
  };
  if (opts.page) document.addEventListener('keydown', onKey); else root.addEventListener('keydown', onKey);
  model.on('change:payload_a', draw); model.on('change:payload_b', draw); model.on('change:row', draw);
  draw();
  setTimeout(() => { if (dv >= 0 && els[dv]) table.scrollTop = Math.max(0, els[dv].offsetTop - table.offsetTop - 40); }, 0);
  return {root, remove: () => document.removeEventListener('keydown', onKey)};
}

// ---- tables --------------------------------------------------------------------------------------------------------------
const natural = new Intl.Collator('en', {numeric: true, sensitivity: 'base'}).compare;
function renderTable(model, el) {
  // SetBrowser's runs: the rows come sorted and filtered from Python; a click opens a run, the boxes pick several.
  const root = h('div', {cls: 'mt-root mt-runs'}); el.append(root);
  const draw = () => {
    const cols = model.get('columns'), sort = model.get('sort'), asc = model.get('ascending'), sel = model.get('selected');
    const checked = new Set(model.get('checked') || []), numeric = new Set(model.get('numeric') || []);
    const toggle = id => { const c = new Set(model.get('checked') || []); c.has(id) ? c.delete(id) : c.add(id); model.set('checked', [...c]); model.save_changes(); };
    const ids = model.get('rows').map(r => r[0]);
    const all = () => { const c = new Set(model.get('checked') || []), on = ids.length && ids.every(i => c.has(i));
      ids.forEach(i => on ? c.delete(i) : c.add(i)); model.set('checked', [...c]); model.save_changes(); };
    const th = [h('th', {cls: 'mt-checkall', title: 'pick (or unpick) every run shown', onclick: all}, '✓'), ...cols.map(c => h('th', {onclick: () => { if (c === sort) model.set('ascending', !asc); else { model.set('sort', c); model.set('ascending', !numeric.has(c)); } model.save_changes(); }},
                                c + (c === sort ? (asc ? ' ▲' : ' ▼') : '')))];
    const trs = model.get('rows').map(r => h('tr', {cls: r[0] === sel ? 'mt-sel' : '', 'data-id': r[0], onclick: () => { model.set('selected', r[0]); model.save_changes(); }},
      h('td', {onclick: e => e.stopPropagation()}, h('input', {type: 'checkbox', cls: 'mt-check', checked: checked.has(r[0]), onchange: () => toggle(r[0])})),
      r.map((v, k) => h('td', {title: String(v === null ? '' : v), cls: numeric.has(cols[k]) ? 'mt-num' : ''}, v === null ? '' : v))));
    root.replaceChildren(h('div', {cls: 'mt-legend'}, model.get('caption')), h('table', {cls: 'mt-table'}, h('thead', {}, h('tr', {}, th)), h('tbody', {}, trs)));
  };
  for (const k of ['rows', 'columns', 'sort', 'ascending', 'selected', 'caption', 'checked']) model.on('change:' + k, draw);
  draw();
}
const CELL = {right: ['✓', 'right'], wrong: ['✗', 'wrong'], none: ['∅', 'no answer'], unscored: ['?', 'answered, not scored'], missing: ['·', 'no run']};
function renderCompare(model, el, opts) {
  // Rows are tasks, columns cells (model, budget, K, phase, seed): each cell right / wrong / no answer and its tool calls.
  // Filters and sorting happen here, over the rows Python sent. Click a cell, then another of the same task: their diff opens.
  opts = opts || {};
  const root = h('div', {cls: 'mt-root mt-compare'}); el.append(root);
  const cols = model.get('columns'), rows = model.get('rows');
  const filt = h('input', {type: 'search', cls: 'mt-cmp-filter', placeholder: 'filter tasks (id or text)'});
  const show = h('select', {cls: 'mt-cmp-show'}, [['all', 'all tasks'], ['disagree', 'cells disagree'], ['anyright', 'some cell right'], ['noneright', 'no cell right'],
    ['allright', 'every cell right'], ['anywrong', 'some cell wrong'], ['missing', 'a run is missing']].map(([v, t]) => h('option', {value: v}, t)));
  const sortSel = h('select', {cls: 'mt-cmp-sort'}, [['task', 'sort: task id'], ['right-', 'sort: most right first'], ['right+', 'sort: fewest right first'],
    ['calls-', 'sort: most calls first'], ...cols.map((c, k) => ['col' + k, 'sort: ' + c.label.join(' ')])].map(([v, t]) => h('option', {value: v}, t)));
  const count = h('span', {cls: 'mt-count'}), tableBox = h('div', {cls: 'mt-cmpwrap'});
  const hint = h('span', {cls: 'mt-legend mt-pickhint'}, 'click a cell, then another cell of the same task, to see the two runs side by side');
  root.append(h('div', {cls: 'mt-legend'}, model.get('caption') || ''), h('div', {cls: 'mt-controls'}, filt, show, sortSel, count, hint), tableBox);
  let pick = null;                       // [row index in `rows`, column]
  const rank = {right: 0, unscored: 1, wrong: 2, none: 3, missing: 4};
  const states = r => r.cells.map(c => c ? c[0] : 'missing');
  const keep = r => {
    const q = filt.value.trim().toLowerCase(), s = states(r), v = show.value;
    if (q && !(r.task + ' ' + (r.question || '')).toLowerCase().includes(q)) return false;
    const present = s.filter(x => x !== 'missing');
    if (v === 'disagree') return new Set(present.map(x => x === 'right')).size > 1;
    if (v === 'anyright') return s.includes('right');
    if (v === 'noneright') return !s.includes('right');
    if (v === 'allright') return present.length > 0 && present.every(x => x === 'right');
    if (v === 'anywrong') return s.includes('wrong');
    if (v === 'missing') return s.includes('missing');
    return true;
  };
  const nRight = r => states(r).filter(x => x === 'right').length, calls = r => r.cells.reduce((a, c) => a + (c && known(c[1]) ? c[1] : 0), 0);
  const order = (a, b) => {
    const v = sortSel.value, A = rows[a], B = rows[b];
    let d = 0;
    if (v === 'right-') d = nRight(B) - nRight(A); else if (v === 'right+') d = nRight(A) - nRight(B); else if (v === 'calls-') d = calls(B) - calls(A);
    else if (v.startsWith('col')) { const k = +v.slice(3), ca = A.cells[k], cb = B.cells[k];
      d = rank[ca ? ca[0] : 'missing'] - rank[cb ? cb[0] : 'missing'] || ((cb && cb[1]) || 0) - ((ca && ca[1]) || 0); }
    return d || natural(A.task, B.task);
  };
  const onCell = (ri, k) => {
    const c = rows[ri].cells[k]; if (!c) return;
    if (pick && pick[0] === ri && pick[1] !== k) { const a = rows[ri].cells[pick[1]][2]; pick = null; draw(); model.set('pair', [a, c[2]]); model.save_changes(); return; }
    pick = pick && pick[0] === ri && pick[1] === k ? null : [ri, k]; draw();
  };
  const draw = () => {
    const idx = rows.map((_, i) => i).filter(i => keep(rows[i])).sort(order);
    count.textContent = idx.length + ' of ' + rows.length + ' tasks';
    const th = [h('th', {cls: 'mt-taskh', onclick: () => { sortSel.value = 'task'; draw(); }}, 'task', h('span', {cls: 'mt-dim'}, rows.length + ' tasks'))].concat(cols.map((c, k) =>
      h('th', {title: c.title || '', onclick: () => { sortSel.value = 'col' + k; draw(); }}, c.label.map(x => h('span', {cls: 'mt-dim'}, x)),
        h('span', {cls: 'mt-acc'}, c.acc === null ? 'no verdicts' : (100 * c.acc).toFixed(0) + '% [' + (100 * c.lo).toFixed(0) + ', ' + (100 * c.hi).toFixed(0) + ']'),
        h('span', {cls: 'mt-dim'}, c.right + '/' + c.scored + (c.unscored ? ' · ' + c.unscored + ' unscored' : '') + (c.calls === null ? '' : ' · ' + c.calls.toFixed(1) + ' calls')))));
    const body = idx.map(ri => { const r = rows[ri];
      return h('tr', {'data-task': r.task}, h('td', {cls: 'mt-task', title: r.question || ''}, r.task, r.question ? h('span', {cls: 'mt-legend'}, '  ' + r.question) : ''),
        r.cells.map((c, k) => { const st = c ? c[0] : 'missing', sym = CELL[st];
          return h('td', {cls: 'mt-cell mt-' + st + (pick && pick[0] === ri && pick[1] === k ? ' mt-pick' : ''), 'data-col': k, title: c ? c[3] : 'no run of this task in this cell',
            onclick: () => onCell(ri, k)}, sym[0], c && known(c[1]) ? ' ' + c[1] : ''); })); });
    tableBox.replaceChildren(h('table', {cls: 'mt-cmp'}, h('thead', {}, h('tr', {}, th)), h('tbody', {}, body)));
  };
  filt.addEventListener('input', draw); show.addEventListener('change', draw); sortSel.addEventListener('change', draw);
  draw();
  return root;
}
