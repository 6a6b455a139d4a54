/* Project catalogue (projects/index.md): filter and sort the list in place.
   Plain ES5, no framework, no request: the data are the list items' data- attributes, written at
   build time (generator/outputs/catalogue). The filter state lives in the query string, so that a
   filtered view can be shared. Without this script the page lists every project, grouped by chain. */
(function () {
  "use strict";
  var form = document.getElementById("catalogue-filters");
  if (!form || !window.URLSearchParams || !history.replaceState) return;
  var status = document.getElementById("catalogue-status");
  var empty = document.getElementById("catalogue-empty");
  var sorted = document.getElementById("catalogue-sorted");
  var FACETS = ["chain", "county", "park", "band", "coop", "stage"];
  var CURRENCY = { CNY: 0, USD: 1 };
  var items = [].map.call(document.querySelectorAll("li[data-chain]"), function (li, i) {
    return { li: li, home: li.parentNode, order: i, d: li.dataset };
  });
  var groups = {};
  [].forEach.call(document.querySelectorAll("[data-group]"), function (h) {
    groups[h.getAttribute("data-group")] = h;
  });
  // Each option's own text, before counts are added to it.
  [].forEach.call(form.querySelectorAll("option"), function (o) { o.setAttribute("data-text", o.text); });

  function state() {
    var s = {};
    FACETS.concat("sort").forEach(function (name) { s[name] = form.elements[name].value; });
    return s;
  }

  function has(item, name, value) {
    return (" " + item.d[name] + " ").indexOf(" " + value + " ") >= 0;
  }

  function matches(item, s, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var name = FACETS[i];
      if (name !== skip && s[name] && !has(item, name, s[name])) return false;
    }
    return true;
  }

  // Missing values last, whatever the direction; yuan before dollars (never converted).
  function key(item, by) {
    if (by === "amount") {
      var c = CURRENCY[item.d.currency];
      return item.d.amount && c !== undefined ? [c, parseFloat(item.d.amount)] : null;
    }
    return item.d.updated ? [0, item.d.updated] : null;
  }

  function compare(by, dir) {
    return function (a, b) {
      var ka = key(a, by), kb = key(b, by);
      if (!ka || !kb) return ka ? -1 : kb ? 1 : a.order - b.order;
      if (ka[0] !== kb[0]) return ka[0] - kb[0];
      if (ka[1] === kb[1]) return a.order - b.order;
      return (ka[1] < kb[1] ? -1 : 1) * dir;
    };
  }

  function count(s) {
    FACETS.forEach(function (name) {
      var select = form.elements[name];
      [].forEach.call(select.options, function (o) {
        if (!o.value) return;
        var n = 0;
        for (var i = 0; i < items.length; i++) {
          if (has(items[i], name, o.value) && matches(items[i], s, name)) n++;
        }
        o.text = o.getAttribute("data-text") + " (" + n + ")";
      });
    });
  }

  function apply() {
    var s = state();
    var shown = items.filter(function (item) { return matches(item, s); });
    var flat = !!s.sort;
    if (flat) {
      var parts = s.sort.split("-");
      shown.sort(compare(parts[0], parts[1] === "asc" ? 1 : -1));
    }
    var visible = {};
    items.forEach(function (item) {
      item.li.hidden = true;
      item.home.appendChild(item.li);
    });
    shown.forEach(function (item) {
      item.li.hidden = false;
      visible[item.d.chain] = true;
      if (flat) sorted.appendChild(item.li);
    });
    Object.keys(groups).forEach(function (chain) {
      var heading = groups[chain];
      heading.hidden = flat || !visible[chain];
      heading.nextElementSibling.hidden = heading.hidden;
    });
    sorted.hidden = !flat;
    empty.hidden = shown.length > 0;
    status.textContent = form.getAttribute("data-status")
      .replace("{shown}", shown.length).replace("{total}", items.length);
    count(s);
    var query = new URLSearchParams();
    FACETS.concat("sort").forEach(function (name) { if (s[name]) query.set(name, s[name]); });
    var search = query.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
  }

  var initial = new URLSearchParams(location.search);
  FACETS.concat("sort").forEach(function (name) {
    var select = form.elements[name], value = initial.get(name);
    if (value && [].some.call(select.options, function (o) { return o.value === value; })) select.value = value;
  });
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  status.hidden = false;
  apply();
})();
