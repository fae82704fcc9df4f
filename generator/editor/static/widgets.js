// The editor's form widgets (Decap custom widgets, plain React through Decap's window.h / createClass):
// every field is drawn from its spec in config.json and checked by checks.js, errors shown at the field.
//   huiyin-field       one value (text, select, date, number), optionally read-only or fill-once
//   huiyin-id          the record id, shown, never typed (a new case gets one when it is saved)
//   huiyin-events      a case's events: the past ones shown, one new event appended, or one corrected with a reason
//   huiyin-append      a matter's list (progress reports, extensions, evidence): past items shown, new ones added
//   huiyin-milestones  a matter's planned milestones: the date a pending one was reached
//   huiyin-group       a fill-once group of numbers (the matter's survey)
import { checkValue, eventOrder, isEmpty, js, responsibleUnit, today } from './checks.js';

const { h, createClass } = window;
export const state = { model: null, user: null };

const spec = (props) => js(props.field.get('spec'));
const unitName = (id) => (state.model.units[id] ? `${state.model.units[id].name}（${id}）` : id);
const optionLabel = (s, v) => s.options?.find((o) => o.value === v)?.label || v;
const errorList = (messages) => (messages.length
  ? h('ul', { className: 'hy-errors', role: 'alert' }, messages.map((m) => h('li', { key: m }, m))) : null);
const invalid = (messages) => (messages.length ? { error: { type: 'CUSTOM', message: messages.join('；') } } : true);

function shown(s, value) {
  if (isEmpty(value)) return '—';
  if (s.kind === 'select') return s.name === 'unit' ? unitName(value) : optionLabel(s, value);
  if (s.kind === 'multiselect') return value.map((v) => unitName(v)).join('、');
  return String(value);
}

// One input for a spec; onChange gets the new value (numbers as numbers, empty as undefined).
function input(s, value, onChange, id, options = {}) {
  const common = { id, className: 'hy-input', 'aria-describedby': `${id}-hint` };
  const choices = options.choices || s.options;
  if (s.kind === 'select') {
    return h('select', { ...common, value: value ?? '', onChange: (e) => onChange(e.target.value || undefined) },
      [h('option', { key: '', value: '' }, s.required ? '请选择…' : '（不填）'),
        ...choices.map((o) => h('option', { key: o.value, value: o.value }, o.label))]);
  }
  if (s.kind === 'multiselect') {
    const chosen = new Set(value || []);
    return h('div', { className: 'hy-checks', id }, choices.map((o) => h('label', { key: o.value },
      h('input', { type: 'checkbox', checked: chosen.has(o.value), onChange: (e) => {
        const next = new Set(chosen);
        if (e.target.checked) next.add(o.value); else next.delete(o.value);
        onChange(choices.map((c) => c.value).filter((v) => next.has(v)));
      } }), ` ${o.label}`)));
  }
  if (s.kind === 'date') return h('input', { ...common, type: 'date', value: value ?? '', onChange: (e) => onChange(e.target.value || undefined) });
  if (s.kind === 'int') {
    return h('input', { ...common, type: 'number', inputMode: 'numeric', min: s.min ?? undefined, max: s.max ?? undefined,
      value: value ?? '', onChange: (e) => onChange(e.target.value === '' ? undefined : Number(e.target.value)) });
  }
  const tag = s.kind === 'text' ? 'textarea' : 'input';
  return h(tag, { ...common, rows: tag === 'textarea' ? 4 : undefined, value: value ?? '',
    onChange: (e) => onChange(e.target.value === '' ? undefined : e.target.value) });
}

// A labelled input with its help and its errors (for sub-fields of the list and event widgets).
function row(s, value, onChange, id, errors, options = {}) {
  return h('div', { className: 'hy-row', key: id },
    h('label', { htmlFor: id, className: 'hy-label' }, s.label, s.required ? h('span', { className: 'hy-req' }, ' *') : null),
    input(s, value, onChange, id, options),
    s.hint ? h('p', { className: 'hy-hint', id: `${id}-hint` }, s.hint) : null,
    errorList(errors || []));
}

// Does the signed-in person's role allow this? (roles from generator/editor/roles.py, via config.json)
const role = () => state.model.roles[state.user.role];
const ownsUnit = (unit) => state.user.units.includes(unit);
const who = () => `${state.user.handle}（${role().label}，所属单位：${state.user.units.map(unitName).join('、') || '无'}）`;

export const FieldControl = createClass({
  getInitialState() { this.initial = js(this.props.value); return {}; },
  locked() {
    const s = spec(this.props);
    return s.readonly || (s.once && (!isEmpty(this.initial) || !role().matter_forms.includes(s.name)));
  },
  isValid() {
    if (this.locked()) return true;
    const value = js(this.props.value);
    const refusal = spec(this.props).once && !isEmpty(value) ? matterRefusal(this.props.entry) : [];
    // presence is Decap's own check ("“标题”是必填项"), shown at the field like these
    return invalid([...refusal, ...checkValue({ ...spec(this.props), required: false }, value, state.model)]);
  },
  render() {
    const s = spec(this.props);
    const value = js(this.props.value);
    if (this.locked()) return h('div', { className: `${this.props.classNameWrapper} hy-readonly`, id: this.props.forID }, shown(s, value));
    return h('div', { className: this.props.classNameWrapper },
      input(s, value, (v) => this.props.onChange(v), this.props.forID));
  },
});

export const IdControl = createClass({
  render() {
    const value = this.props.value;
    return h('div', { className: `${this.props.classNameWrapper} hy-readonly`, id: this.props.forID },
      value || '保存时自动分配（前缀 + 受理日期 + 5 位随机码，不会与他人同时登记的诉求重复）');
  },
});

// ---- case events -------------------------------------------------------------------------------

function describe(e) {
  const def = state.model.events[e.type];
  const parts = (def?.fields || []).filter((f) => !isEmpty(e[f.name]) && f.name !== 'text')
    .map((f) => `${f.label}：${shown(f, e[f.name])}`);
  return `${e.date} ${def?.label || e.type}${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
}

function monthOf(collection) { // "cases-2026-11" -> "2026-11"
  const m = /cases-(\d{4})-(\d{2})/.exec(collection || '');
  return m ? `${m[1]}-${m[2]}` : null;
}

export const EventsControl = createClass({
  getInitialState() {
    this.past = js(this.props.value) || [];
    this.isNew = !!this.props.entry.get('newRecord');
    const draft = this.isNew ? { date: today(), type: 'received' } : null;
    return { draft, assign: {}, correcting: null, reason: '', tried: false };
  },
  componentDidMount() { if (this.isNew) this.emit(this.state); },
  allowedTypes() { return role().case_events.filter((t) => state.model.events[t]); },
  refusal() {
    if (this.isNew || role().cases === 'any') return [];
    const unit = responsibleUnit(this.past);
    if (unit && ownsUnit(unit)) return [];
    const owner = unit ? `承办单位是 ${unitName(unit)}` : '还没有交办承办单位';
    return [`该诉求${owner}，不属于 ${who()}：只能登记本单位承办的诉求`];
  },
  events(st) {
    if (this.isNew) {
      const received = { date: st.draft.date, type: 'received', note: st.draft.note };
      return st.assign.unit ? [received, { date: st.draft.date, type: 'assigned', unit: st.assign.unit, level: st.assign.level }] : [received];
    }
    if (st.correcting !== null) {
      const fixed = { ...st.draft };
      const stamp = `更正（${today()}）：${st.reason.trim()}`;
      fixed.note = fixed.note ? `${fixed.note}\n${stamp}` : stamp;
      return this.past.map((e, i) => (i === st.correcting ? fixed : e));
    }
    return st.draft ? [...this.past, st.draft] : this.past;
  },
  emit(st) { this.props.onChange(this.events(st)); },
  change(patch) { const st = { ...this.state, ...patch }; this.setState(patch); this.emit(st); },
  setDraft(name, value) { this.change({ draft: { ...this.state.draft, [name]: value } }); },
  problems() { // field name -> messages, plus '' for the event as a whole
    const out = { '': this.refusal() };
    const { draft } = this.state;
    if (!draft) return out;
    const add = (k, msgs) => { if (msgs.length) out[k] = [...(out[k] || []), ...msgs]; };
    add('date', checkValue({ label: '日期', kind: 'date', required: true }, draft.date, state.model));
    add('note', checkValue(state.model.note, draft.note, state.model));
    if (this.isNew) {
      const month = monthOf(this.props.entry.get('collection'));
      if (month && draft.date && !draft.date.startsWith(month)) {
        add('date', [`受理日期应在 ${month.replace('-', '年')}月内：本栏目登记该月受理的诉求，其他月份请到对应月份的栏目登记`]);
      }
      if (draft.date > today()) add('date', ['受理日期不能晚于今天']);
      const mustAssign = role().new_case === 'own-unit';
      add('unit', checkValue({ ...this.unitSpec(), required: mustAssign }, this.state.assign.unit, state.model));
      if (mustAssign && this.state.assign.unit && !ownsUnit(this.state.assign.unit)) add('unit', ['只能交办给本单位']);
      return out;
    }
    const def = state.model.events[draft.type];
    if (!draft.type) { add('type', ['请选择事件类型']); return out; }
    for (const f of def.fields) add(f.name, checkValue(f, draft[f.name], state.model));
    const before = this.state.correcting !== null ? this.past.slice(0, this.state.correcting) : this.past;
    add('', eventOrder(before, draft, state.model));
    if (this.state.correcting !== null && this.state.reason.trim().length < 4) add('reason', ['请写明更正理由（至少 4 个字，公开）']);
    return out;
  },
  isValid() { // called when saving: from then on the form shows each problem at its field
    if (!this.state.tried) setTimeout(() => this.setState({ tried: true }), 0);
    return invalid(Object.values(this.problems()).flat());
  },
  unitSpec() {
    const all = state.model.events.assigned.fields.find((f) => f.name === 'unit');
    const options = role().new_case === 'own-unit' ? all.options.filter((o) => ownsUnit(o.value)) : all.options;
    return { ...all, label: '交办给（承办单位）', options, hint: role().new_case === 'own-unit'
      ? '本单位受理的诉求直接交办给本单位' : '可暂不交办，由受理交办人员稍后交办' };
  },
  renderNew(problems) {
    const { draft, assign } = this.state;
    const id = this.props.forID;
    const level = state.model.events.assigned.fields.find((f) => f.name === 'level');
    return h('div', { className: 'hy-event hy-new' },
      h('h3', null, '受理'),
      row({ label: '受理日期', kind: 'date', required: true, hint: '群众反映的日期，决定诉求编号和办理时限的起算' }, draft.date,
        (v) => this.setDraft('date', v), `${id}-date`, problems.date),
      row(this.unitSpec(), assign.unit, (v) => this.change({ assign: { ...assign, unit: v } }), `${id}-unit`, problems.unit),
      assign.unit ? row(level, assign.level, (v) => this.change({ assign: { ...assign, level: v } }), `${id}-level`, problems.level) : null,
      row(state.model.note, draft.note, (v) => this.setDraft('note', v), `${id}-note`, problems.note));
  },
  renderDraft(problems) {
    const { draft, correcting } = this.state;
    const id = this.props.forID;
    const types = this.allowedTypes().map((t) => ({ value: t, label: state.model.events[t].label }));
    const def = draft.type ? state.model.events[draft.type] : null;
    return h('div', { className: 'hy-event hy-new' },
      h('h3', null, correcting !== null ? `更正第 ${correcting + 1} 个事件` : '登记新事件'),
      correcting !== null ? null : row({ label: '事件类型', kind: 'select', required: true, options: types,
        hint: '只列出您的角色可以登记的事件' }, draft.type, (v) => this.change({ draft: { date: draft.date, type: v } }),
      `${id}-type`, problems.type),
      row({ label: '日期', kind: 'date', required: true, hint: '事件发生的日期，不能早于上一个事件' }, draft.date,
        (v) => this.setDraft('date', v), `${id}-date`, problems.date),
      ...(def ? def.fields.map((f) => row(f, draft[f.name], (v) => this.setDraft(f.name, v), `${id}-${f.name}`, problems[f.name])) : []),
      row(state.model.note, draft.note, (v) => this.setDraft('note', v), `${id}-note`, problems.note),
      correcting !== null ? row({ label: '更正理由', kind: 'text', required: true, hint: '为什么更正（公开，写入该事件的备注）' },
        this.state.reason, (v) => this.change({ reason: v || '' }), `${id}-reason`, problems.reason) : null,
      errorList(problems[''] || []),
      h('button', { type: 'button', className: 'hy-button', onClick: () => this.change({ draft: null, correcting: null, reason: '' }) }, '取消'));
  },
  render() {
    const problems = this.state.tried ? this.problems() : {};
    const refusal = this.refusal();
    const past = h('ol', { className: 'hy-past' }, this.past.map((e, i) => h('li', { key: i },
      h('span', null, describe(e)),
      !refusal.length && !this.state.draft && this.allowedTypes().includes(e.type)
        ? h('button', { type: 'button', className: 'hy-link', onClick: () => this.change({ correcting: i, draft: { ...e }, reason: '' }) }, '更正')
        : null)));
    let body;
    if (this.isNew) body = this.renderNew(problems);
    else if (refusal.length) body = errorList(refusal);
    else if (this.state.draft) body = this.renderDraft(problems);
    else body = h('button', { type: 'button', className: 'hy-button hy-primary', onClick: () => this.change({ draft: { date: today() } }) }, '＋ 登记新事件');
    return h('div', { className: `${this.props.classNameWrapper} hy-events`, id: this.props.forID },
      this.isNew ? null : past, body);
  },
});

// ---- matter lists ------------------------------------------------------------------------------

const matterRefusal = (entry) => {
  const unit = js(entry.get('data'))?.unit;
  if (role().matters === 'any' || (role().matters === 'own-unit' && ownsUnit(unit))) return [];
  return [`该实事的责任单位是 ${unitName(unit)}，不属于 ${who()}：只能登记本单位负责的实事`];
};
const allowedForm = (name) => role().matter_forms.includes(name);

export const AppendControl = createClass({
  getInitialState() {
    this.past = js(this.props.value) || [];
    this.completedAtStart = !!js(this.props.entry.get('data'))?.completed; // a finished matter gets no progress or extension
    return { adding: [], tried: false };
  },
  emit(adding) { this.setState({ adding }); this.props.onChange([...this.past, ...adding]); },
  problems() { return this.state.adding.map((item) => Object.fromEntries(spec(this.props).fields.map((f) => [f.name, checkValue(f, item[f.name], state.model)]))); },
  isValid() {
    if (!this.state.tried) setTimeout(() => this.setState({ tried: true }), 0);
    const messages = [...matterRefusal(this.props.entry), ...this.problems().flatMap((p) => Object.values(p).flat())];
    return this.state.adding.length ? invalid(messages) : true;
  },
  render() {
    const s = spec(this.props);
    const id = this.props.forID;
    const refusal = matterRefusal(this.props.entry);
    const past = h('ol', { className: 'hy-past' }, this.past.map((item, i) => h('li', { key: i },
      s.fields.filter((f) => !isEmpty(item[f.name])).map((f) => `${f.label}：${shown(f, item[f.name])}`).join(' · '))));
    const problems = this.state.tried ? this.problems() : this.state.adding.map(() => ({}));
    const adding = this.state.adding.map((item, i) => h('div', { className: 'hy-event hy-new', key: i },
      s.fields.map((f) => row(f, item[f.name], (v) => this.emit(this.state.adding.map((it, j) => (j === i ? { ...it, [f.name]: v } : it))),
        `${id}-${i}-${f.name}`, problems[i][f.name])),
      h('button', { type: 'button', className: 'hy-button', onClick: () => this.emit(this.state.adding.filter((_, j) => j !== i)) }, '取消')));
    const done = ['updates', 'extensions'].includes(s.name) && this.completedAtStart;
    const canAdd = !refusal.length && allowedForm(s.name) && !done;
    const first = s.fields.find((f) => f.kind === 'date');
    return h('div', { className: `${this.props.classNameWrapper} hy-events`, id },
      this.past.length ? past : h('p', { className: 'hy-hint' }, '（尚无）'), ...adding,
      done ? h('p', { className: 'hy-hint' }, '该实事已登记完成，不再登记进展或延期；如需更正，请联系管理员。') : null,
      canAdd ? h('button', { type: 'button', className: 'hy-button hy-primary',
        onClick: () => this.emit([...this.state.adding, first ? { [first.name]: today() } : {}]) }, `＋ 添加${s.label}`) : null);
  },
});

export const MilestonesControl = createClass({
  getInitialState() { this.past = js(this.props.value) || []; return { done: {} }; },
  emit(done) { this.setState({ done }); this.props.onChange(this.past.map((m, i) => (done[i] ? { ...m, done: done[i] } : m))); },
  isValid() {
    const messages = Object.values(this.state.done).flatMap((d) => checkValue({ label: '完成日期', kind: 'date', required: true }, d, state.model));
    return invalid([...(Object.keys(this.state.done).length ? matterRefusal(this.props.entry) : []), ...messages]);
  },
  render() {
    const id = this.props.forID;
    const canEdit = !matterRefusal(this.props.entry).length && allowedForm('milestones');
    return h('div', { className: `${this.props.classNameWrapper} hy-events`, id },
      h('ol', { className: 'hy-past' }, this.past.map((m, i) => h('li', { key: i },
        `${m.title} · 计划 ${m.due} · `, m.done ? `已于 ${m.done} 完成` : (canEdit
          ? h('span', null, '完成日期 ', input({ kind: 'date' }, this.state.done[i], (v) => this.emit({ ...this.state.done, [i]: v }), `${id}-${i}`))
          : '未完成')))));
  },
});

export const GroupControl = createClass({
  getInitialState() { this.initial = js(this.props.value); return {}; },
  locked() { return !isEmpty(this.initial) || !allowedForm(spec(this.props).name); },
  isValid() {
    const value = js(this.props.value) || {};
    if (this.locked() || isEmpty(value)) return true;
    return invalid(spec(this.props).fields.flatMap((f) => checkValue({ ...f, required: true }, value[f.name], state.model)));
  },
  render() {
    const s = spec(this.props);
    const value = js(this.props.value) || {};
    if (this.locked()) {
      return h('div', { className: `${this.props.classNameWrapper} hy-readonly`, id: this.props.forID },
        isEmpty(value) ? '（尚无）' : s.fields.map((f) => `${f.label} ${value[f.name] ?? '—'}`).join(' · '));
    }
    return h('div', { className: `${this.props.classNameWrapper} hy-events`, id: this.props.forID },
      s.fields.map((f) => row(f, value[f.name], (v) => this.props.onChange({ ...value, [f.name]: v }), `${this.props.forID}-${f.name}`, [])));
  },
});

export const Preview = createClass({ render() { return h('div', null); } });
