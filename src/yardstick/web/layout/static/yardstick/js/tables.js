// Sortable tables: a button in each header of a table marked data-sortable sorts its rows by that
// column (numbers as numbers), keyboard-operable; aria-sort says the order to screen readers.
(function () {
  "use strict";
  function value(cell) {
    var raw = cell.getAttribute("data-sort-value");
    if (raw === null) { raw = cell.textContent.trim(); }
    var number = parseFloat(raw.replace(/[,%]/g, ""));
    return isNaN(number) ? raw : number;
  }
  function sort(table, index, button) {
    var header = button.closest("th");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[index]), y = value(b.cells[index]);
      if (x === y) { return 0; }
      var order = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "zh-Hant");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sort(table, index, button); });
    });
  });
})();
