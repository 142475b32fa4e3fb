/* Blackout: B or . blacks the slides window out (the presenter view shows it and pauses the timer). */
microlearn.deck.register("blackout", function (deck) {
  deck.blackout = function (on) {
    var black = deck.state.black;
    if (on === black.on) return;
    black.on = on;
    deck.commit("black");
    deck.render();
  };
  deck.shortcut({ keys: ["B", "."], label: deck.strings.keyBlack, run: function () { deck.blackout(!deck.state.black.on); },
    match: function (k, l, e) { return l === "b" || k === "." || e.code === "Period"; } });
  deck.on("start", function () { document.body.appendChild(deck.el("div", { "class": "blackout", title: deck.strings.blackout })); });
  deck.on("click", function (e) { if (e.target.closest(".blackout")) deck.blackout(false); });
  deck.on("render", function () { deck.root.classList.toggle("is-black", deck.state.black.on && !deck.presenter); });
});
