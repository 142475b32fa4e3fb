/* Full screen (F). */
microlearn.deck.register("fullscreen", function (deck) {
  var doc = document;
  deck.shortcut({ keys: ["F"], label: deck.strings.keyFullscreen, match: function (k, l) { return l === "f"; },
    run: function () {
      if (doc.fullscreenElement) doc.exitFullscreen();
      else if (deck.root.requestFullscreen) deck.root.requestFullscreen().catch(function () { /* not allowed here */ });
    } });
});
