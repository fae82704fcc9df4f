// What the forms check before anything is saved, in Chinese, field by field. The same limits as `huiyin
// validate` (they come from the schemas and settings through config.json); the full check runs again on the
// pull request. Pure functions: no Decap, no DOM.

export const today = () => {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

export const js = (v) => (v && typeof v.toJS === 'function' ? v.toJS() : v);
export const isEmpty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
  || (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isEmpty));
const length = (s) => [...s].length; // characters, as Python counts them

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCardValid = (s) => {
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  return '10X98765432'[sum % 11] === s[17].toUpperCase();
};

function mask(code, s) {
  if (code === 'pii-mobile') { const d = s.replace(/\D/g, '').slice(-11); return `${d.slice(0, 3)}****${d.slice(-4)}`; }
  if (code === 'pii-id-card') return `${s.slice(0, 6)}********${s.slice(-4)}`;
  const [user, domain] = s.split('@');
  return `${user[0]}***@${domain}`;
}

// Personal data in a text: [{code, label, masked}] (mobile numbers, resident ids, e-mail addresses).
export function findPii(text, pii) {
  const out = [];
  for (const [code, source] of Object.entries(pii.patterns)) {
    for (const m of String(text).matchAll(new RegExp(source, 'g'))) {
      if (code === 'pii-id-card' && !idCardValid(m[0])) continue;
      out.push({ code, label: pii.labels[code], masked: mask(code, m[0]) });
    }
  }
  return out;
}

export const validDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
  && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

// Messages for one value against its field spec (see generator/editor/config.py field_spec).
export function checkValue(spec, value, model) {
  const label = spec.label;
  if (isEmpty(value)) {
    if (!spec.required) return [];
    return [spec.kind === 'select' || spec.kind === 'multiselect' ? `请选择${label}` : `请填写${label}`];
  }
  const out = [];
  if (spec.kind === 'date') {
    if (!validDate(value)) out.push(`${label}应为日期，写成 YYYY-MM-DD，如 2026-11-20`);
  } else if (spec.kind === 'int') {
    const n = Number(value);
    if (!Number.isInteger(n)) out.push(`${label}应为整数`);
    else if (spec.min !== null && spec.min !== undefined && n < spec.min) out.push(`${label}太小：不能小于 ${spec.min}`);
    else if (spec.max !== null && spec.max !== undefined && n > spec.max) out.push(`${label}太大：不能大于 ${spec.max}`);
  } else if (spec.kind === 'select') {
    if (!spec.options.some((o) => o.value === value)) out.push(`${label}的选项“${value}”不在可选范围内`);
  } else if (spec.kind === 'multiselect') {
    const known = new Set(spec.options.map((o) => o.value));
    for (const v of value) if (!known.has(v)) out.push(`${label}中的“${v}”不在可选范围内`);
  } else {
    const text = String(value).trim();
    const n = length(text);
    if (spec.min && n < spec.min) out.push(`${label}太短：至少 ${spec.min} 个字，现在是 ${n} 个字`);
    if (spec.max && n > spec.max) out.push(`${label}太长：最多 ${spec.max} 个字，现在是 ${n} 个字`);
    if (spec.pattern && !new RegExp(spec.pattern).test(text)) out.push(`${label}格式不对：${spec.pattern_hint}`);
    if (spec.pii && model) {
      for (const f of findPii(text, model.pii)) {
        out.push(`${label}中有${f.label} ${f.masked}：记录会公开，不得写入个人信息，请删除`);
      }
    }
  }
  return out;
}

// The responsible unit of a case: the last assigned or transferred event's unit (as generator.lifecycle says).
export function responsibleUnit(events) {
  let unit = null;
  for (const e of events || []) if ((e.type === 'assigned' || e.type === 'transferred') && e.unit) unit = e.unit;
  return unit;
}

// Lifecycle rules for one new event after the past ones (the validator's case_events rule, in short).
export function eventOrder(past, event, model) {
  const out = [];
  const names = model.events;
  const last = past[past.length - 1];
  if (event.date && validDate(event.date)) {
    if (last && event.date < last.date) {
      out.push(`日期 ${event.date} 早于上一个事件（${last.date} ${names[last.type]?.label || last.type}）：事件须按日期先后登记`);
    }
    if (event.date > today()) out.push(`日期 ${event.date} 晚于今天：不能登记未来的事件`);
  }
  let closedOpen = false; // closed and not reopened by an unsatisfied evaluation
  let replySinceOpen = false;
  for (const e of past) {
    if (e.type === 'replied') replySinceOpen = true;
    if (e.type === 'closed') { closedOpen = true; replySinceOpen = false; }
    if (e.type === 'evaluated' && e.result === 'unsatisfied') closedOpen = false;
  }
  if (event.type === 'evaluated' && last?.type !== 'closed') out.push('回访评价只能紧接在办结之后登记');
  else if (closedOpen && event.type !== 'evaluated') out.push('该诉求已办结：只能登记回访评价');
  if (event.type === 'closed' && !closedOpen && !replySinceOpen) out.push('办结前必须先登记答复');
  if (event.type === 'extended' && event.new_deadline && event.date && event.new_deadline <= event.date) {
    out.push('延期后时限应晚于登记日期');
  }
  return out;
}
