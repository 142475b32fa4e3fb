/* Keyboard: one keydown listener for the shortcuts the controllers register (deck.shortcut). */
microlearn.deck.register("keyboard", function (deck) {
  var doc = document;
  /* A button clicked with the mouse gives the focus back, so the next Space or Enter moves the slides
     instead of pressing that button again. Tabbing to a button and pressing Space still presses it. */
  doc.addEventListener("click", function (e) {
    var b = e.detail > 0 && e.target.closest && e.target.closest("button, summary");
    if (b) setTimeout(function () { if (doc.activeElement === b) b.blur(); }, 0);
  });
  doc.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    /* the dialog has the keyboard */
    if (doc.querySelector("dialog[open]")) return;
    var k = e.key;
    var t = e.target;
    if (t.closest && t.closest("input, textarea, select") ) return;
    if ((k === " " || k === "Enter") && t.closest && t.closest("button, a, summary")) return;
    /* Letters by physical key too, so P, B, O, F, G work with a Greek, Russian or Persian layout. */
    var letter = /^[a-z]$/i.test(k) ? k.toLowerCase() : (/^Key[A-Z]$/.test(e.code) ? e.code.charAt(3).toLowerCase() : "");
    deck.emit("key", k, e);
    for (var i = 0; i < deck.shortcuts.length; i++) {
      var s = deck.shortcuts[i];
      if (s.match(k, letter, e)) { s.run(k, e); e.preventDefault(); return; }
    }
  });
});
