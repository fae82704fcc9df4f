/* Sortable tables (table[data-sortable]): each column heading becomes a button that sorts the rows of this page
 * by that column, then the other way round. Dates are ISO (2026-03-02), so text order is date order. */
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-CN", {numeric: true});
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var heads = table.querySelectorAll("thead th"), body = table.tBodies[0];
    if (!body || body.rows.length < 2) return;
    heads.forEach(function (th, col) {
      // the heading keeps its own content (a figure's name links to its definition); a small button sorts
      var button = document.createElement("button"), name = th.textContent.replace(/\s+/g, "");
      button.type = "button";
      button.className = "hy-sort";
      button.setAttribute("aria-label", "按" + name + "排序");
      button.title = "按" + name + "排序";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col] ? a.cells[col].textContent.trim() : "", y = b.cells[col] ? b.cells[col].textContent.trim() : "";
          return up ? collator.compare(x, y) : collator.compare(y, x);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
