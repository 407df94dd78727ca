// saydo HTML report: optional enhancements. The page reads without this.
// Reads only the DOM the report wrote; takes no data of its own.
(function () {
  "use strict";
  function each(list, f) { Array.prototype.forEach.call(list, f); }

  // Hover a mark, a link or a table row: bring forward the record, its
  // links and the records at their other ends.
  each(document.querySelectorAll("section.timeline"), function (section) {
    var svg = section.querySelector("svg.tl");
    if (!svg) { return; }
    var marks = svg.querySelectorAll(".mark");
    var links = svg.querySelectorAll(".link");
    function clear() {
      svg.classList.remove("focusing");
      each(svg.querySelectorAll(".hi"), function (e) { e.classList.remove("hi"); });
      each(section.querySelectorAll("tr.hi"), function (e) { e.classList.remove("hi"); });
    }
    function light(ids) {
      each(marks, function (m) { if (ids[m.getAttribute("data-id")]) { m.classList.add("hi"); } });
      each(section.querySelectorAll("tr.rec"), function (r) {
        if (ids[r.getAttribute("data-id")]) { r.classList.add("hi"); }
      });
      svg.classList.add("focusing");
    }
    function focusRecord(id) {
      var ids = {};
      ids[id] = true;
      each(links, function (l) {
        var c = l.getAttribute("data-claim"), a = l.getAttribute("data-action");
        if (c === id || a === id) { l.classList.add("hi"); ids[c] = true; ids[a] = true; }
      });
      light(ids);
    }
    function focusLink(l) {
      var ids = {};
      ids[l.getAttribute("data-claim")] = true;
      ids[l.getAttribute("data-action")] = true;
      l.classList.add("hi");
      light(ids);
    }
    svg.addEventListener("mouseover", function (e) {
      var t = e.target;
      var m = t.closest(".mark");
      clear();
      if (m) { focusRecord(m.getAttribute("data-id")); return; }
      if (t.classList && t.classList.contains("link")) { focusLink(t); }
    });
    svg.addEventListener("mouseleave", clear);
    each(section.querySelectorAll("tr.rec"), function (row) {
      row.addEventListener("mouseenter", function () { clear(); focusRecord(row.getAttribute("data-id")); });
      row.addEventListener("mouseleave", clear);
    });
  });

  // Controls: which links to show, and a filter on the records' text.
  var header = document.querySelector("header");
  if (!header) { return; }
  var tools = document.createElement("div");
  tools.className = "tools";
  tools.appendChild(document.createTextNode("Show links:"));
  ["consistent", "reciprocal", "neutral"].forEach(function (verdict) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + verdict, !box.checked);
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + verdict));
    tools.appendChild(label);
  });
  var search = document.createElement("input");
  search.type = "search";
  search.placeholder = "Filter records by id or text";
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    each(document.querySelectorAll("section.timeline"), function (section) {
      var keep = {};
      each(section.querySelectorAll("tr.rec"), function (row) {
        var hit = !q || row.textContent.toLowerCase().indexOf(q) >= 0;
        row.classList.toggle("filtered", !hit);
        if (hit) { keep[row.getAttribute("data-id")] = true; }
      });
      each(section.querySelectorAll(".mark"), function (m) {
        m.classList.toggle("dim", !!q && !keep[m.getAttribute("data-id")]);
      });
    });
  });
  tools.appendChild(search);
  header.appendChild(tools);
})();
