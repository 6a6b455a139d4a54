/* Added by `python -m generator serve` to the pages it serves; never part of the built site/.
   Reloads the page when a newer build is published, and shows the catalog's problems over the page. */
(function () {
  var version = __PREVIEW_VERSION__;
  var source = new EventSource("/__preview/events");
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-preview", "connected");
  });
  source.addEventListener("build", function (event) {
    var state = JSON.parse(event.data);
    if (state.version !== version) {
      source.close();
      location.reload();
      return;
    }
    show(state.problems);
  });

  function show(text) {
    var box = document.getElementById("portal-preview-problems");
    if (!text) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("pre");
      box.id = "portal-preview-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:1000;max-height:50vh;overflow:auto;" +
        "margin:0;padding:1em;background:#fff3f3;color:#8b0000;border-top:3px solid #c00;" +
        "font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = text;
  }
})();
