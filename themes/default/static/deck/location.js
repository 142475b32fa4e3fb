/* Location: the slide's number in the URL (#3), kept in the history, read at the start and on back/forward. */
microlearn.deck.register("location", function (deck) {
  function fromHash() {
    var m = /^#(\d+)$/.exec(location.hash);
    var n = m ? parseInt(m[1], 10) : 1;
    return Math.min(Math.max(n, 1), deck.total) - 1;
  }
  deck.on("start", function () { deck.current = fromHash(); });
  deck.on("slide", function (i, push) {
    var hash = "#" + (i + 1);
    if (location.hash !== hash) history[push ? "pushState" : "replaceState"](null, "", location.pathname + location.search + hash);
  });
  window.addEventListener("popstate", function () { deck.go(fromHash(), false); });
  window.addEventListener("hashchange", function () { deck.go(fromHash(), false); });
});
