/* Overview: all slides in a grid (O or Esc); Enter, a click or Esc again leaves it. Not in the presenter view. */
microlearn.deck.register("overview", function (deck) {
  var root = deck.root, slides = deck.slides;
  function on() { return root.classList.contains("is-overview"); }
  function overview(show) {
    if (deck.presenter) return;
    root.classList.toggle("is-overview", show);
    slides.forEach(function (s) { if (show) s.setAttribute("tabindex", "0"); else s.removeAttribute("tabindex"); });
    if (show) { slides[deck.current].scrollIntoView({ block: "center" }); slides[deck.current].focus(); }
  }
  deck.shortcut({ first: true, match: function (k, l) { return on() && (k === "Enter" || k === "Escape" || l === "o"); },
    run: function (k, e) {
      if (k === "Enter" && slides.indexOf(e.target) >= 0) deck.go(slides.indexOf(e.target), true);
      overview(false);
    } });
  deck.shortcut({ keys: ["O", "Esc"], label: deck.strings.keyOverview, run: function () { overview(true); },
    match: function (k, l) { return k === "Escape" || l === "o"; } });
  deck.on("slide", function (i) { if (on()) { slides[i].scrollIntoView({ block: "nearest" }); slides[i].focus(); } });
  deck.on("click", function (e) {
    var s = e.target.closest(".is-overview .slide");
    if (s) { deck.go(slides.indexOf(s), true); overview(false); }
  });
});
