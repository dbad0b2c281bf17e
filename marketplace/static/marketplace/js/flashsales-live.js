/* The back office's live view of a flash sale: the figures refresh every two seconds (no reload). */
(function () {
  "use strict";
  function start() {
    var table = document.getElementById("flash-live");
    if (!table) { return; }
    var url = table.getAttribute("data-live-url");
    window.setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          data.rows.forEach(function (row) {
            var tr = table.querySelector('[data-row="' + row.id + '"]');
            if (!tr) { return; }
            ["claimed", "reserved", "ordered", "left"].forEach(function (name) {
              var cell = tr.querySelector('[data-field="' + name + '"]');
              if (cell && row[name] !== null && row[name] !== undefined) { cell.textContent = String(row[name]); }
            });
          });
        })
        .catch(function () {});
    }, 2000);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
