/* Fit: text that does not fit a slide is shrunk, down to 60 %, then scrolls: never silently cut. The factor
   scales with the slide, so it holds in any window, in the presenter's previews and in print. */
microlearn.deck.register("fit", function (deck) {
  deck.fit = function (s) {
    var b = s.querySelector(".slide__body"), f = 1;
    if (!b) return;
    b.style.removeProperty("--fit");
    s.classList.remove("is-overfull");
    while (b.scrollHeight > b.clientHeight + 1 && f > 0.6) { f -= 0.05; b.style.setProperty("--fit", f.toFixed(2)); }
    if (b.scrollHeight > b.clientHeight + 1) s.classList.add("is-overfull");
  };
  function fitAll() { if (!deck.presenter) deck.slides.forEach(deck.fit); }
  deck.on("start", function () {
    fitAll();
    window.addEventListener("load", fitAll);
    /* A phone turned, a window resized: the slide's shape or its smallest text size may have changed. */
    window.addEventListener("resize", fitAll);
  });
});
