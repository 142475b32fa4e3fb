/* Touch: a swipe moves one slide. */
microlearn.deck.register("touch", function (deck) {
  var touch = null;
  document.addEventListener("pointerdown", function (e) { if (e.pointerType === "touch") touch = [e.clientX, e.clientY]; });
  document.addEventListener("pointerup", function (e) {
    if (!touch || e.pointerType !== "touch") return;
    var dx = e.clientX - touch[0], dy = e.clientY - touch[1];
    touch = null;
    /* Swiping against the reading direction moves forward: leftwards in Greek, rightwards in Persian. */
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) deck.go(deck.current + ((dx < 0) !== deck.rtl ? 1 : -1), true);
  });
});
