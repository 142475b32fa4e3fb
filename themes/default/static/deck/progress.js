/* Progress: the counter (in the lesson's digits) and the bar. */
microlearn.deck.register("progress", function (deck) {
  var counter = document.querySelector(".controls__counter");
  var bar = document.querySelector(".progress__bar");
  deck.on("render", function () {
    var n = deck.current + 1;
    if (counter) counter.textContent = deck.num(n + " / " + deck.total);
    if (bar) bar.style.inlineSize = (n / deck.total * 100) + "%";
  });
});
