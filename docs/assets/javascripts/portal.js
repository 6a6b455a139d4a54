/* The portal: text size that persists across pages, and the search button.
 * Search loads nothing until it is opened: the first click imports portal-search.js, which
 * imports Pagefind's bundle. No framework, no other host. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "portal.textsize";
  var MAX = 3; // 0 = the theme's size; 1-3 larger steps (portal.css)

  function level() {
    return Number(root.dataset.textsize || 0);
  }

  var buttons = document.querySelectorAll("[data-portal-textsize]");

  function showLimits(n) {
    buttons.forEach(function (button) {
      var step = Number(button.dataset.portalTextsize);
      button.disabled = step < 0 ? n === 0 : n === MAX;
    });
  }

  function setLevel(n) {
    n = Math.max(0, Math.min(MAX, n));
    if (n) root.dataset.textsize = String(n);
    else delete root.dataset.textsize;
    try {
      if (n) localStorage.setItem(KEY, String(n));
      else localStorage.removeItem(KEY);
    } catch (e) { /* private mode: the size still applies to this page */ }
    showLimits(n);
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      setLevel(level() + Number(button.dataset.portalTextsize));
    });
  });
  showLimits(level()); // the size itself was applied in <head> (portal-head.html)

  var dialog = document.querySelector("dialog.portal-search");
  var opener = document.querySelector("[data-portal-search-open]");
  if (!dialog || !opener || typeof dialog.showModal !== "function") {
    if (opener) opener.hidden = true;
    return;
  }
  var loading = null;

  function open() {
    if (!dialog.open) dialog.showModal();
    var input = dialog.querySelector("input");
    input.focus();
    if (!loading) {
      var status = dialog.querySelector("[role=status]");
      var labels = JSON.parse(dialog.dataset.labels);
      status.textContent = labels.loading;
      // import() resolves against this script's URL: make the page-relative address absolute first.
      loading = import(new URL(dialog.dataset.script, location.href).href).then(function (module) {
        return module.start(dialog);
      });
      loading.catch(function () {
        status.textContent = labels.failed;
        loading = null; // the next opening tries again
      });
    }
  }

  opener.addEventListener("click", open);
  dialog.querySelector("[data-portal-search-close]").addEventListener("click", function () {
    dialog.close();
  });
  // A click on the backdrop (outside the dialog's box) closes it, as Esc does.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", function () { opener.focus(); });
  // "/" opens search from anywhere but a text field, as on most sites.
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey &&
        tag !== "input" && tag !== "textarea" && !event.target.isContentEditable) {
      event.preventDefault();
      open();
    }
  });
})();
