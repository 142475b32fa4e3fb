/* Questions: A, or the slide's own "Show the answer" (its summary), shows the room a question's answer (the
   correct options marked) and explanation, and hides them again. Both windows share which ones are open. */
microlearn.deck.register("question", function (deck) {
  function answer(i) { return deck.slides[i].querySelector(".question__answer"); }
  function shown(i) { return deck.state.answers.open.indexOf(i) >= 0; }
  function toggle(e) {
    var open = deck.state.answers.open, i = deck.current;
    /* A click on the summary: not the details' own toggle, the shared state opens them. */
    if (e) e.preventDefault();
    if (!answer(i)) return;
    if (shown(i)) open.splice(open.indexOf(i), 1); else open.push(i);
    deck.commit("answers");
    deck.render();
  }
  deck.revealed = shown;
  deck.share("answers", function () { return { open: [], rev: 0 }; }, function (p) { return Array.isArray(p.open); });
  deck.shortcut({ keys: ["A"], label: deck.strings.keyAnswer, run: function () { toggle(); }, match: function (k, l) { return l === "a" && !!answer(deck.current); } });
  deck.action("reveal", toggle);
  deck.on("render", function () {
    deck.slides.forEach(function (s, i) {
      var d = answer(i), on = shown(i);
      if (!d || d.open === on) return;
      d.open = on;
      s.classList.toggle("is-revealed", on);
      if (!deck.presenter) deck.fit(s);
    });
  });
});
