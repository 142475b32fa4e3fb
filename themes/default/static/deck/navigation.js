/* Navigation: next, previous, first and last slide, by key and by the on-screen buttons. */
microlearn.deck.register("navigation", function (deck) {
  var S = deck.strings, rtl = deck.rtl;
  function go(d) { deck.go(deck.current + d, true); }
  deck.shortcut({ keys: [rtl ? "←" : "→", "↓", "PageDown", S.keySpace], label: S.keyNext, run: function () { go(1); },
    match: function (k, l, e) { return k === (rtl ? "ArrowLeft" : "ArrowRight") || k === "ArrowDown" || k === "PageDown" || (k === " " && !e.shiftKey); } });
  deck.shortcut({ keys: [rtl ? "→" : "←", "↑", "PageUp", "Shift+" + S.keySpace], label: S.keyPrev, run: function () { go(-1); },
    match: function (k, l, e) { return k === (rtl ? "ArrowRight" : "ArrowLeft") || k === "ArrowUp" || k === "PageUp" || (k === " " && e.shiftKey); } });
  deck.shortcut({ keys: ["Home", "End"], label: S.keyFirstLast, run: function (k) { deck.go(k === "Home" ? 0 : deck.total - 1, true); },
    match: function (k) { return k === "Home" || k === "End"; } });
  deck.action("next", function () { go(1); });
  deck.action("prev", function () { go(-1); });
});
