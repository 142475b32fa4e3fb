/* Presenter view (?presenter): the current and next slide, the narration, the clock, the pacing against
   the plan and the facilitator's cues, in the lesson's language. */
microlearn.deck.register("presenter", function (deck) {
  if (!deck.presenter) return;
  var S = deck.strings, data = deck.data, el = deck.el, button = deck.button, digits = deck.num;
  var slides = deck.slides, total = deck.total, plan = deck.plan, timer = deck.timer, fmtDur = deck.duration;
  var P = {}, shown = -1;
  function panel(cls, title, kids) {
    /* Focusable, so a panel whose text overflows can be reached and scrolled without a mouse. */
    return el("section", { "class": "pv__panel " + cls, "aria-label": title, tabindex: "0" }, [el("h2", { "class": "pv__h", text: title })].concat(kids));
  }
  function figure(name, label) {
    var v = el("dd", { "class": "num" });
    P[name] = v;
    return el("div", {}, [el("dt", { text: label }), v]);
  }
  function notesSize(d) {
    var size = Math.min(3, Math.max(0.8, (deck.store("localStorage", "microlearn:notes-size") || 1.25) + d));
    deck.store("localStorage", "microlearn:notes-size", size);
    P.notes.style.fontSize = size + "rem";
  }
  function cueList(title, items, cls) {
    if (!items || !items.length) return null;
    var list = el("ul");
    items.forEach(function (h) { list.appendChild(el("li", { html: h })); });
    return el("div", { "class": "pv__cue " + (cls || "") }, [el("h3", { text: title }), list]);
  }
  deck.on("start", function () {
    var doc = document;
    deck.root.classList.add("presenter");
    doc.title = S.presenter + " · " + doc.title;
    var pace = el("dl", { "class": "pv__pace" }, [
      figure("stage", S.stage), figure("budget", S.stageBudget), figure("left", S.stageLeft),
      figure("plan", S.plan), figure("session", S.sessionLeft), figure("finish", S.finish)]);
    P.pause = button(S.pause, "pause", null, "T");
    P.blackBtn = button(S.keyBlack, "black");
    P.notes = el("div", { "class": "pv__notes", lang: data.lang, dir: data.dir });
    P.cur = el("div", { "class": "pv__frame" });
    P.next = el("div", { "class": "pv__frame pv__frame--next" });
    P.status = el("p", { "class": "pv__status", role: "status" });
    P.discussion = el("div");
    var bar = el("header", { "class": "pv__bar" }, [
      el("p", { "class": "pv__time" }, [el("span", { "class": "pv__label", text: S.clock }), P.clock = el("span", { "class": "num pv__big" })]),
      el("p", { "class": "pv__time" }, [el("span", { "class": "pv__label", text: S.elapsed }), P.elapsed = el("span", { "class": "num pv__big" })]),
      P.pause,
      button(S.minusMinute, "minus", "−" + digits(1) + "′", "-"),
      button(S.plusMinute, "plus", "+" + digits(1) + "′", "+"),
      button(S.reset, "reset"),
      P.blackBtn,
      button(S.reportButton, "report"),
      data.guide ? el("a", { "class": "btn", href: data.guide, target: "_blank", rel: "noopener", text: S.guide }) : null,
      P.status
    ]);
    var main = el("div", { "class": "pv", dir: data.dir, lang: data.lang }, [
      bar,
      panel("pv__now", S.current, [P.cur]),
      panel("pv__upnext", S.next, [P.next]),
      panel("pv__talk", S.notes, [
        el("p", { "class": "pv__font" }, [button(S.fontSmaller, "smaller", "−"), button(S.fontBigger, "bigger", "+")]),
        P.notes]),
      /* One column: the pacing as high as it needs, the cues below it (see .pv__side in deck.css). */
      el("div", { "class": "pv__side" }, [
        panel("pv__pacing", S.pacing, [pace]),
        panel("pv__cues", S.cues, [P.discussion, cueList(S.objectives, data.objectives), cueList(S.keyMessages, data.keyMessages)])])
    ]);
    doc.body.appendChild(main);
    notesSize(0);
    setInterval(function () {
      /* also a heartbeat: the slides window answers, so both know the other is there */
      deck.send("hello");
      deck.render();
    }, 1000);
    deck.send("hello");
  });
  deck.action("pause", timer.toggle);
  deck.action("minus", function () { timer.nudge(-60000); });
  deck.action("plus", function () { timer.nudge(60000); });
  deck.action("reset", function () { deck.confirm(S.resetConfirm, S.reset, timer.reset); });
  deck.action("black", function () { deck.blackout(!deck.state.black.on); });
  deck.action("smaller", function () { notesSize(-0.125); });
  deck.action("bigger", function () { notesSize(0.125); });

  function preview(box, i) {
    box.textContent = "";
    if (i >= total) { box.appendChild(el("p", { "class": "pv__end", text: S.end })); return; }
    var c = slides[i].cloneNode(true);
    c.removeAttribute("id");
    [].forEach.call(c.querySelectorAll("[id]"), function (x) { x.removeAttribute("id"); });
    [].forEach.call(c.querySelectorAll(".notes, .trainer"), function (x) { x.remove(); });
    c.classList.add("is-current");
    c.setAttribute("inert", "");
    box.appendChild(c);
    deck.fit(c);
  }
  deck.on("render", function () {
    if (!P.clock) return;
    var T = timer.get(), state = deck.state, t = Date.now(), i = deck.current;
    /* A question's preview shows what the room sees: redrawn when its answer is shown or hidden. */
    var key = i + ":" + deck.revealed(i);
    if (shown !== key) {
      shown = key;
      preview(P.cur, i);
      preview(P.next, i + 1);
      var n = slides[i].querySelector(".notes");
      P.notes.innerHTML = n ? n.innerHTML : "";
      if (!n) P.notes.appendChild(el("p", { "class": "pv__none", text: S.noNotes }));
      /* Beside the narration, for the trainer alone: a question's answer from the start, the directions. */
      var q = slides[i].querySelector(".question__answer"), d = slides[i].querySelector(".trainer");
      P.reveal = null;
      if (q) P.notes.appendChild(el("div", { "class": "pv__cue pv__answer" }, [el("h3", { text: S.answer }), el("div", { html: q.innerHTML }),
        el("p", {}, [P.reveal = button(S.showAnswer, "reveal")])]));
      if (d) P.notes.appendChild(el("div", { "class": "pv__cue pv__trainer" }, [el("h3", { text: S.trainer }), el("div", { html: d.innerHTML })]));
      P.discussion.textContent = "";
      if (slides[i].classList.contains("slide--discussion")) P.discussion.appendChild(cueList(S.discussion, data.discussion, "pv__cue--now"));
    }
    P.clock.textContent = deck.clock(t);
    var e = timer.elapsed(t);
    P.elapsed.textContent = fmtDur(e);
    P.pause.textContent = T.run ? S.pause : (T.started ? S.resume : S.start);
    P.pause.setAttribute("aria-label", P.pause.textContent);
    P.pause.title = P.pause.textContent;
    P.pause.setAttribute("aria-pressed", String(!T.run && T.started));
    deck.root.classList.toggle("timer-paused", !T.run);
    P.blackBtn.setAttribute("aria-pressed", String(state.black.on));
    if (P.reveal) P.reveal.setAttribute("aria-pressed", String(deck.revealed(i)));
    var stage = plan.stageOf[i];
    if (stage) {
      var idx = plan.stageSlides(stage), b = 0, spent = 0;
      idx.forEach(function (j) { b += plan.budget[j]; spent += timer.onSlide(j, t); });
      P.stage.textContent = digits(("0" + stage).slice(-2)) + " ";
      P.stage.appendChild(plan.heading(idx[0]) || document.createTextNode(""));
      P.budget.textContent = fmtDur(b);
      P.left.textContent = fmtDur(b - spent);
      P.left.classList.toggle("is-over", spent > b);
    } else {
      P.stage.textContent = P.budget.textContent = P.left.textContent = "—";
      P.left.classList.remove("is-over");
    }
    var expected = plan.start[i] + Math.min(timer.onSlide(i, t), plan.budget[i]);
    var delta = e - expected;
    /* no pace to judge before the session starts */
    if (!T.started) {
      P.plan.textContent = "—";
      P.plan.className = "num";
    } else {
      P.plan.textContent = Math.abs(delta) < 30000 ? S.onTime : deck.fill(delta > 0 ? S.behind : S.ahead, "time", fmtDur(Math.abs(delta)));
      P.plan.className = "num " + (Math.abs(delta) < 30000 ? "" : delta > 0 ? "is-over" : "is-ahead");
    }
    P.session.textContent = fmtDur(plan.total - e);
    P.finish.textContent = deck.clock(t + Math.max(0, plan.total - expected));
    var alive = deck.connected();
    P.status.textContent = (state.black.on ? S.blackout + " · " : "") + (T.started && !T.run ? S.paused + " · " : "") +
      (alive ? S.connected : S.reconnecting);
    P.status.classList.toggle("is-off", !alive);
  });
});
