// Optional filters for the matrix grid (the page reads fully without them): one persona, and
// only the entities some persona can read or change without a row filter. Printing opens every
// cell's row filter.
(function () {
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("td details").forEach(function (d) {
      d.open = true;
    });
  });
  var form = document.getElementById("filters");
  var grid = document.getElementById("grid");
  if (!form || !grid) return;
  form.hidden = false;
  var persona = form.querySelector("select");
  var open = form.querySelector("input[type=checkbox]");
  function apply() {
    var p = persona.value;
    grid.querySelectorAll("[data-p]").forEach(function (el) {
      el.classList.toggle("hidden", p !== "" && el.getAttribute("data-p") !== p);
    });
    grid.querySelectorAll("tbody tr").forEach(function (row) {
      var show = !open.checked;
      if (!show) {
        row.querySelectorAll("td[data-p]").forEach(function (td) {
          var full = td.classList.contains("d-permit") || td.classList.contains("d-unprotected");
          if (full && (p === "" || td.getAttribute("data-p") === p)) show = true;
        });
      }
      row.classList.toggle("hidden", !show);
    });
  }
  persona.addEventListener("change", apply);
  open.addEventListener("change", apply);
})();
