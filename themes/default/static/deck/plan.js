/* The plan: each slide's time budget and stage, from the slides' data-timing and data-stage. */
microlearn.deck.register("plan", function (deck) {
  var slides = deck.slides;
  var budget = slides.map(function (s) { return (parseInt(s.getAttribute("data-timing"), 10) || 0) * 1000; });
  var start = [], sum = 0;
  budget.forEach(function (b) { start.push(sum); sum += b; });
  var stageOf = slides.map(function (s) { return s.getAttribute("data-stage") || ""; });
  function heading(i) {
    /* The stage's title as the slide shows it: its <bdi> keep "5 MB" in order in a right-to-left lesson. */
    var h = slides[i].querySelector(".slide__title");
    if (!h) return null;
    h = h.cloneNode(true);
    [].forEach.call(h.querySelectorAll(".stage-no, .part"), function (x) { x.remove(); });
    return deck.el("span", { html: h.innerHTML.trim() });
  }
  deck.plan = {
    budget: budget, start: start, sum: sum, stageOf: stageOf, heading: heading,
    total: Math.max((deck.data.totalSeconds || 0) * 1000, sum),
    stageSlides: function (n) { return stageOf.map(function (s, i) { return s === n ? i : -1; }).filter(function (i) { return i >= 0; }); },
    title: function (i) { var h = heading(i); return h ? h.textContent.trim() : ""; }
  };
});
