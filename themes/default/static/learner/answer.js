/* Answers, in the learner's deck: a question's options are a form; "Check my answer" records the choice
   (deck.learn, tracking.js), which is final for the attempt, marks the right options and opens the
   explanation. The closing slide shows the score and, short of the pass mark, offers another attempt. */
microlearn.deck.register("answer", function (deck) {
  var S = deck.learner.strings, learn = deck.learn, doc = document;
  var forms = [].slice.call(doc.querySelectorAll(".question__form"));
  function show(form) {
    var n = +form.getAttribute("data-question"), got = learn.answers[n], slide = form.closest(".slide");
    var details = slide.querySelector(".question__answer"), feedback = form.querySelector(".question__feedback");
    [].forEach.call(form.querySelectorAll("input"), function (input) {
      if (got) input.checked = got.indexOf(+input.value) >= 0;
      input.disabled = !!got;
      input.closest("li").classList.toggle("is-chosen", !!got && input.checked);
    });
    form.classList.toggle("is-checked", !!got);
    slide.classList.toggle("is-revealed", !!got);
    form.querySelector(".question__check").hidden = !!got;
    if (details) details.open = !!got;
    if (got) feedback.textContent = learn.right(n) ? S.right : S.wrong;
    else if (feedback.textContent !== S.chooseFirst) feedback.textContent = "";
    deck.fit(slide);
  }
  forms.forEach(function (form) {
    /* The check button's click, not the form's submit: a frame sandboxed without allow-forms (Kolibri's)
       submits no form, so no submit event comes there. Enter in an option clicks the button too. */
    form.querySelector(".question__check").addEventListener("click", function (e) {
      e.preventDefault();
      var chosen = [].filter.call(form.querySelectorAll("input"), function (i) { return i.checked; }).map(function (i) { return +i.value; });
      if (!chosen.length) { form.querySelector(".question__feedback").textContent = S.chooseFirst; return; }
      learn.answer(+form.getAttribute("data-question"), chosen);
    });
  });
  var result = doc.querySelector(".learner-result");
  function summarize(s) {
    if (!result) return;
    var lines = [deck.fill(deck.fill(deck.fill(deck.fill(S.progress, "seen", deck.num(s.seen)), "total", deck.num(s.total)),
      "answered", deck.num(s.answered)), "questions", deck.num(s.questions))];
    if (s.questions && s.scored) {
      var pct = function (n) { return deck.fill(deck.learner.percent, "n", deck.num(n)); };
      lines.push(deck.fill(deck.fill(S.score, "score", pct(s.score)), "mark", pct(s.mark)));
      lines.push(s.passed ? S.passed : S.failed);
    }
    result.textContent = "";
    lines.forEach(function (t) { result.appendChild(deck.el("p", { text: t })); });
    if (s.questions && s.scored && !s.passed) result.appendChild(deck.button(S.retry, "again"));
  }
  deck.action("again", function () {
    learn.again();
    var first = forms[0] && forms[0].closest(".slide");
    if (first) deck.go(deck.slides.indexOf(first), true);
  });
  deck.on("progress", function (s) { forms.forEach(show); summarize(s); });
});
