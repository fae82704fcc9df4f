// Starts the staff editor: who is signing in (their role and units from records/staff.yaml on the target
// branch), the forms their role allows, then Decap CMS with the editor's format, widgets and save checks.
import { parse } from './vendor/yaml/index.js';
import { js, responsibleUnit } from './checks.js';
import { makeFormat } from './format.js';
import { AppendControl, EventsControl, FieldControl, GroupControl, IdControl, MilestonesControl, Preview, state } from './widgets.js';

const { CMS } = window;
const LOCAL_HOSTS = ['localhost', '127.0.0.1'];
const start = document.getElementById('hy-start');

function say(html) { start.innerHTML = html; start.hidden = false; }

// ---- reading the staff list through the same backend the editor saves with ----------------------

function localUrl(config) {
  const param = new URLSearchParams(window.location.search).get('local_backend');
  return param || config.local_backend?.url || 'http://localhost:8081/api/v1';
}

async function readLocal(url, branch, path) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'getEntry', params: { branch, path } }) });
  if (!response.ok) throw new Error(`本机编辑服务没有返回 ${path}（${response.status}）`);
  return (await response.json()).data;
}

// The Git host's API for the signed-in user and for one file on the target branch (GitHub, GitLab, Gitea).
const HOSTS = {
  github: {
    root: (b) => b.api_root || 'https://api.github.com',
    auth: (t) => ({ Authorization: `token ${t}` }),
    user: async (b, t) => (await getJson(`${HOSTS.github.root(b)}/user`, HOSTS.github.auth(t))).login,
    file: async (b, t, path) => getText(`${HOSTS.github.root(b)}/repos/${b.repo}/contents/${path}?ref=${encodeURIComponent(b.branch)}`,
      { ...HOSTS.github.auth(t), Accept: 'application/vnd.github.raw' }),
  },
  gitlab: {
    root: (b) => b.api_root || 'https://gitlab.com/api/v4',
    auth: (t) => ({ Authorization: `Bearer ${t}` }),
    user: async (b, t) => (await getJson(`${HOSTS.gitlab.root(b)}/user`, HOSTS.gitlab.auth(t))).username,
    file: async (b, t, path) => getText(`${HOSTS.gitlab.root(b)}/projects/${encodeURIComponent(b.repo)}/repository/files/${encodeURIComponent(path)}/raw?ref=${encodeURIComponent(b.branch)}`, HOSTS.gitlab.auth(t)),
  },
  gitea: {
    root: (b) => b.api_root || `${b.base_url}/api/v1`,
    auth: (t) => ({ Authorization: `token ${t}` }),
    user: async (b, t) => (await getJson(`${HOSTS.gitea.root(b)}/user`, HOSTS.gitea.auth(t))).login,
    file: async (b, t, path) => getText(`${HOSTS.gitea.root(b)}/repos/${b.repo}/raw/${path}?ref=${encodeURIComponent(b.branch)}`, HOSTS.gitea.auth(t)),
  },
};

async function getJson(url, headers) { return JSON.parse(await getText(url, headers)); }
async function getText(url, headers) {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url} 返回 ${response.status}`);
  return response.text();
}

function member(staffText, handle) {
  const staff = parse(staffText)?.staff || [];
  const folded = handle.replace(/^@/, '').toLowerCase();
  return staff.find((m) => String(m.handle).toLowerCase() === folded) || null;
}

// ---- the forms a role gets ---------------------------------------------------------------------

function forRole(config, user) {
  const rules = config.huiyin.roles[user.role];
  const collections = config.collections
    .filter((c) => !c.name.startsWith('matters-') || rules.matters !== 'none')
    .map((c) => (c.name.startsWith('cases-') ? { ...c, create: rules.new_case !== 'none' } : c));
  return { ...config, collections };
}

function newCaseId(model, received) {
  const { prefix, alphabet, length } = model.case_id;
  const bytes = crypto.getRandomValues(new Uint8Array(length)); // 256 is a multiple of 32: no bias
  const suffix = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${prefix}${received.replaceAll('-', '')}-${suffix}`;
}

// The last word before anything is written: the same checks as the forms, and the id of a new case.
function preSave({ entry }) {
  const collection = entry.get('collection');
  let data = entry.get('data');
  const rules = state.model.roles[state.user.role];
  if (collection.startsWith('cases-')) {
    const events = js(data.get('events')) || [];
    const unit = responsibleUnit(events);
    if (rules.cases === 'own-unit' && !state.user.units.includes(unit)) {
      throw new Error(`只能保存本单位承办的诉求：该诉求的承办单位是 ${unit || '（未交办）'}`);
    }
    if (entry.get('newRecord') && !data.get('id')) data = data.set('id', newCaseId(state.model, events[0].date));
  } else if (rules.matters !== 'any' && !state.user.units.includes(data.get('unit'))) {
    throw new Error(`只能保存本单位负责的实事：该实事的责任单位是 ${data.get('unit')}`);
  }
  return data;
}

// Decap makes a new entry's file name from its slug in lower case (qh20261203-0j3sr.yaml); a case file is
// named by its id exactly (QH20261203-0J3SR.yaml). The backend is wrapped to write a new case under its id.
const CASE_FILE = /^(.*records\/cases\/\d{4}\/\d{2}\/)[^/]+\.yaml$/;

function namedById(dataFile) {
  const m = CASE_FILE.exec(dataFile.path);
  const id = /^id: *['"]?([A-Za-z0-9_-]+)/m.exec(dataFile.raw || '');
  return m && id ? { ...dataFile, path: `${m[1]}${id[1]}.yaml` } : dataFile;
}

function wrappedBackend(name) {
  const original = CMS.getBackend(name);
  const wrapped = `huiyin-${name}`;
  if (!CMS.getBackend(wrapped)) {
    CMS.registerBackend(wrapped, function HuiyinBackend(...args) {
      const impl = original.init(...args);
      return new Proxy(impl, {
        get(target, prop) {
          if (prop === 'persistEntry') {
            return (entry, options) => target.persistEntry({ ...entry, dataFiles: entry.dataFiles.map(namedById) }, options);
          }
          const value = target[prop];
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    });
  }
  return wrapped;
}

function launch(config, user) {
  state.model = config.huiyin;
  state.user = user;
  document.documentElement.dataset.role = user.role;
  CMS.registerCustomFormat('huiyin-yaml', 'yaml', makeFormat(config.huiyin));
  const widgets = { 'huiyin-field': FieldControl, 'huiyin-id': IdControl, 'huiyin-events': EventsControl,
    'huiyin-append': AppendControl, 'huiyin-milestones': MilestonesControl, 'huiyin-group': GroupControl };
  for (const [name, control] of Object.entries(widgets)) CMS.registerWidget(name, control, Preview);
  CMS.registerEventListener({ name: 'preSave', handler: preSave });
  const banner = document.getElementById('hy-user');
  banner.textContent = `${user.handle} · ${config.huiyin.roles[user.role].label} · ${user.units.map((u) => config.huiyin.units[u]?.name || u).join('、')}`;
  banner.hidden = false;
  start.hidden = true;
  const ready = forRole(config, user);
  CMS.init({ config: { ...ready, backend: { ...ready.backend, name: wrappedBackend(ready.backend.name) } } });
}

// On this machine: the local Git backend (decap-server); the person says who they are.
async function startLocal(config) {
  const url = localUrl(config);
  const staffText = await readLocal(url, config.backend.branch || 'main', config.huiyin.staff_file);
  const staff = parse(staffText)?.staff || [];
  const local = { ...config, backend: { ...config.backend, name: 'proxy', proxy_url: url }, local_backend: false };
  const remembered = sessionStorage.getItem('huiyin-handle');
  if (remembered && member(staffText, remembered)) {
    const m = member(staffText, remembered);
    launch(local, { handle: m.handle, role: m.role, units: m.units || [] });
    return;
  }
  say(`<h1>回音 · 工作人员编辑</h1>
    <p>在本机编辑（本机 Git 版本库）。请选择您在工作人员名单中的账号：</p>
    <label for="hy-handle">平台账号</label>
    <select id="hy-handle">${staff.map((m) => `<option value="${m.handle}">${m.handle}（${config.huiyin.roles[m.role].label}）</option>`).join('')}</select>
    <button type="button" id="hy-go">进入</button>`);
  document.getElementById('hy-go').addEventListener('click', () => {
    sessionStorage.setItem('huiyin-handle', document.getElementById('hy-handle').value);
    window.location.reload();
  });
}

// On the published site: sign in with the Git host; then the role comes from the staff list on the branch.
async function startHosted(config) {
  const stored = JSON.parse(localStorage.getItem('decap-cms-user') || 'null');
  const host = HOSTS[config.backend.name];
  if (!stored?.token || !host) {
    CMS.registerCustomFormat('huiyin-yaml', 'yaml', makeFormat(config.huiyin));
    CMS.init({ config: { ...config, collections: config.collections.slice(0, 1) } });
    const poll = setInterval(() => { if (localStorage.getItem('decap-cms-user')) { clearInterval(poll); window.location.reload(); } }, 300);
    return;
  }
  const handle = await host.user(config.backend, stored.token);
  const m = member(await host.file(config.backend, stored.token, config.huiyin.staff_file), handle);
  if (!m) {
    say(`<h1>无法进入</h1><p>平台账号 ${handle} 不在工作人员名单（records/staff.yaml）中，请联系管理员登记。</p>
      <button type="button" id="hy-out">换一个账号</button>`);
    document.getElementById('hy-out').addEventListener('click', () => { localStorage.removeItem('decap-cms-user'); window.location.reload(); });
    return;
  }
  launch(config, { handle: m.handle, role: m.role, units: m.units || [] });
}

async function main() {
  const config = await (await fetch('config.json')).json();
  document.title = `工作人员编辑 · ${config.huiyin.site_title}`;
  const local = LOCAL_HOSTS.includes(window.location.hostname); // on one's own machine: the local Git backend
  try {
    await (local ? startLocal(config) : startHosted(config));
  } catch (error) {
    say(`<h1>编辑器无法启动</h1><p>${String(error.message || error).replace(/</g, '&lt;')}</p>
      <p>在本机使用时，请先在项目目录运行 <code>npx decap-server</code>（见工作人员指南）。</p>`);
  }
}

main();
