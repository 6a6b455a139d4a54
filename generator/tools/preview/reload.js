/* Added by `python -m generator serve` to the pages it serves; never part of the built site/.
   Reloads the page when a newer build is published, and shows the catalog's problems over the page
   (red), or else its notices (yellow: what would print as boxes; the site is built all the same). */
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
    show("portal-preview-problems", state.problems, "alert", "#fff3f3", "#8b0000", "#c00");
    show("portal-preview-notices", state.problems ? "" : state.notices, "status", "#fffbe6", "#5c4400", "#b58900");
  });

  function show(id, text, role, background, colour, border) {
    var box = document.getElementById(id);
    if (!text) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("pre");
      box.id = id;
      box.setAttribute("role", role);
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:1000;max-height:50vh;overflow:auto;" +
        "margin:0;padding:1em;background:" + background + ";color:" + colour + ";border-top:3px solid " + border +
        ";font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = text;
  }
})();
