/* 回音 search page: the form, the filters and the results, over HuiyinSearch (search.js).
 * The query and filters live in the page's address (?q=…&kind=case&unit=…&overdue=1), so a search can be shared
 * and the back button works; nothing leaves the browser but requests for the index's own files. */
(function () {
  "use strict";
  var script = document.currentScript, form = document.getElementById("hy-search");
  if (!form || !window.HuiyinSearch) return;
  var site = script.getAttribute("data-site"), lookup = script.getAttribute("data-lookup");
  var engine = HuiyinSearch.open(form.getAttribute("data-index"));
  var input = form.elements.q, status = document.getElementById("hy-search-status");
  var list = document.getElementById("hy-search-results"), more = document.getElementById("hy-search-more");
  var suggest = document.getElementById("hy-search-suggest");
  var PAGE = 10, FIELDS = ["kind", "status", "unit", "category", "month", "overdue"];
  var SORTS = {new: function (a, b) { return a - b; }, old: function (a, b) { return b - a; }};  // records are newest first
  var current = null, shown = 0, serial = 0, meta = null, timer = null;
  var CASE_ID = /^[a-z]{1,6}[0-9]{8}[a-z0-9]{5}$/;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function option(select, value, label) { select.appendChild(el("option", {value: value}, label)); }
  function cnDate(iso) { return iso.slice(0, 4) + "年" + Number(iso.slice(5, 7)) + "月" + Number(iso.slice(8, 10)) + "日"; }
  function cnMonth(ym) { return ym.slice(0, 4) + "年" + Number(ym.slice(5, 7)) + "月"; }

  function filters() {
    var f = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      var value = field.type === "checkbox" ? (field.checked ? "1" : "") : (field.value || "");
      if (name === "kind") value = form.querySelector("input[name=kind]:checked").value;
      if (value) f[name] = value;
    });
    if (f.status) f.status = (f.kind || "") + "-" + f.status;
    if (!f.kind) delete f.status;
    if (f.kind === "matter") delete f.month;
    return f;
  }

  function fillStatus(kind, keep) {
    var select = form.elements.status;
    select.textContent = "";
    if (!kind) { option(select, "", "先选择诉求或实事"); select.disabled = true; return; }
    option(select, "", "全部状态");
    (meta.status[kind] || []).forEach(function (s) { option(select, s[0], s[1] + "（" + s[2] + "）"); });
    select.disabled = false;
    if (keep) select.value = keep;
    form.elements.month.disabled = kind === "matter";
  }

  function fillFilters() {
    meta.units.slice().sort(function (a, b) { return b[2] - a[2]; })
      .forEach(function (u) { option(form.elements.unit, u[0], u[1] + "（" + u[2] + "）"); });
    meta.categories.forEach(function (c) { option(form.elements.category, c[0], c[1] + "（" + c[2] + "）"); });
    var months = {};
    meta.months.forEach(function (r) { if (r[0].indexOf("case ") === 0) months[r[0].slice(5)] = (months[r[0].slice(5)] || 0) + r[2] - r[1]; });
    Object.keys(months).sort().reverse().forEach(function (m) { option(form.elements.month, m, cnMonth(m) + "（" + months[m] + "）"); });
  }

  function fromAddress() {
    var p = new URLSearchParams(window.location.search);
    input.value = p.get("q") || "";
    var kind = p.get("kind") || "";
    form.querySelectorAll("input[name=kind]").forEach(function (r) { r.checked = r.value === kind; });
    fillStatus(kind, p.get("status") || "");
    ["unit", "category", "month", "sort"].forEach(function (n) { form.elements[n].value = p.get(n) || ""; });
    form.elements.overdue.checked = p.get("overdue") === "1";
  }

  function toAddress() {
    var p = new URLSearchParams(), f = filters();
    if (input.value.trim()) p.set("q", input.value.trim());
    FIELDS.forEach(function (n) { if (f[n]) p.set(n, n === "status" ? form.elements.status.value : f[n]); });
    if (form.elements.sort.value) p.set("sort", form.elements.sort.value);
    var q = p.toString();
    history.replaceState(null, "", q ? "?" + q : window.location.pathname);
  }

  function result(d) {
    var li = el("li", {"class": "hy-result"});
    var a = el("a", {href: site + d.url, "class": "hy-result__title"}, d.title);
    li.appendChild(el("h2", {"class": "hy-result__heading"})).appendChild(a);
    var line = el("p", {"class": "hy-result__meta"});
    line.appendChild(el("span", {"class": "hy-kind hy-kind-" + d.kind}, d.kind === "case" ? "诉求" : "实事"));
    var badge = d.kind === "case" ? "hy-status-" + d.status : "hy-matter-" + d.status;
    line.appendChild(el("span", {"class": "hy-badge " + badge + (d.overdue && d.kind === "case" ? " hy-overdue" : "")},
                        d.statusLabel + (d.overdue && d.kind === "case" ? " · 超期" : "")));
    line.appendChild(el("time", {datetime: d.date}, (d.kind === "case" ? "受理 " : "公布 ") + cnDate(d.date)));
    if (d.unit) line.appendChild(el("span", {"class": "hy-result__unit"}, d.unit));
    if (d.kind === "case") line.appendChild(el("span", {"class": "hy-id"}, d.url.replace(/^.*\//, "").replace(/\.html$/, "")));
    li.appendChild(line);
    if (d.snippet) li.appendChild(el("p", {"class": "hy-result__text"}, d.snippet));
    return li;
  }

  function showMore(run) {
    var next = current.docs.slice(shown, shown + PAGE);
    more.hidden = true;
    return engine.details(next).then(function (details) {
      if (run !== serial) return;
      details.forEach(function (d) { list.appendChild(result(d)); });
      shown += next.length;
      more.hidden = shown >= current.docs.length;
    });
  }

  function describe(r, text, f) {
    var filtered = Object.keys(f).length ? "（已筛选）" : "";
    if (!text) return "共 " + r.total + " 条" + filtered + "，最新的在前。";
    if (r.full === r.total) return "找到 " + r.total + " 条与“" + text + "”相关的结果" + filtered + "。";
    if (!r.full) return "没有完全符合“" + text + "”的结果，下面 " + r.total + " 条包含其中部分词语" + filtered + "。";
    return "找到 " + r.full + " 条与“" + text + "”相关的结果" + filtered + "，另有 " + (r.total - r.full) + " 条包含其中部分词语，排在后面。";
  }

  function offer(text, f) {
    suggest.textContent = "";
    var items = [], compact = HuiyinSearch.normalise(text).replace(/[^a-z0-9]/g, "");
    if (CASE_ID.test(compact)) items.push(["按编号查询 " + text.trim(), lookup + "?id=" + encodeURIComponent(text.trim())]);
    var jobs = [];
    if (Object.keys(f).length) jobs.push(engine.query(text, {}).then(function (r) {
      if (r.total) items.push(["去掉筛选条件，有 " + r.total + " 条结果", "?q=" + encodeURIComponent(text)]);
    }));
    if (text) jobs.push(engine.conceptCounts(text).then(function (counts) {
      if (counts.length > 1) counts.forEach(function (c) {
        if (c.total) items.push(["只搜“" + c.text + "”（" + c.total + " 条）", "?q=" + encodeURIComponent(c.text)]);
      });
    }));
    return Promise.all(jobs).then(function () {
      suggest.appendChild(el("p", {}, "建议："));
      var ul = suggest.appendChild(el("ul", {}));
      items.forEach(function (it) { ul.appendChild(el("li")).appendChild(el("a", {href: it[1]}, it[0])); });
      ul.appendChild(el("li", {}, "换一个说法，或少输几个字，例如只输入“路灯”“噪音”“停车”。"));
      var browse = ul.appendChild(el("li", {}, "按类别、月份、单位浏览"));
      browse.textContent = "按类别、月份、单位浏览：";
      browse.appendChild(el("a", {href: script.getAttribute("data-cases")}, "全部诉求"));
      browse.appendChild(document.createTextNode("、"));
      browse.appendChild(el("a", {href: script.getAttribute("data-matters")}, "百件实事"));
      suggest.hidden = false;
    });
  }

  function countActive(f) {
    var n = Object.keys(f).length + (form.elements.sort.value ? 1 : 0);
    document.getElementById("hy-search-active").textContent = n ? "（已选 " + n + " 项）" : "";
    return n;
  }

  function run() {
    var run = ++serial, text = input.value.trim(), f = filters();
    toAddress();
    countActive(f);
    suggest.hidden = true;
    if (!text && !Object.keys(f).length) {
      list.textContent = ""; more.hidden = true; status.textContent = "输入关键词，或选择筛选条件。";
      return Promise.resolve();
    }
    status.textContent = "正在搜索…";
    list.setAttribute("aria-busy", "true");
    return engine.query(text, f).then(function (r) {
      if (run !== serial) return;
      var order = SORTS[form.elements.sort.value];
      if (order) r.docs = Array.from(r.docs).sort(order);
      current = r; shown = 0; list.textContent = "";
      if (!r.total) {
        status.textContent = text ? "没有找到与“" + text + "”相关的结果" + (Object.keys(f).length ? "（已筛选）" : "") + "。"
                                  : "没有符合筛选条件的结果。";
        more.hidden = true;
        return offer(text, f);
      }
      status.textContent = describe(r, text, f);
      return showMore(run);
    }).catch(function () {
      if (run === serial) status.textContent = "搜索暂时无法使用，请刷新页面再试。";
    }).then(function () {
      if (run === serial) list.setAttribute("aria-busy", "false");
    });
  }

  function later() { clearTimeout(timer); timer = setTimeout(run, 250); }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); run(); input.blur(); });
  input.addEventListener("input", later);
  form.addEventListener("change", function (ev) {
    if (ev.target.name === "kind") fillStatus(ev.target.value, "");
    if (ev.target !== input) { clearTimeout(timer); run(); }
  });
  more.addEventListener("click", function () { showMore(serial); });

  engine.meta().then(function (m) {
    meta = m;
    fillFilters();
    fromAddress();
    if (window.matchMedia("(max-width: 44.9375em)").matches && !countActive(filters())) {
      document.getElementById("hy-search-filters").open = false;  // phones: results first, filters a tap away
    }
    if (input.value || window.location.search) run();
  }).catch(function () { status.textContent = "搜索索引无法加载，请刷新页面再试。"; });
})();
