/* Timer: the session's running time, shared by both windows. It changes only in the presenter window
   (T, + and - work in either); the slides window keeps a copy so that a reopened presenter resumes it. */
microlearn.deck.register("timer", function (deck) {
  var S = deck.strings, total = deck.total;
  function fresh(slide) {
    return { rev: 0, run: false, started: false, mark: 0, acc: 0, slide: slide || 0, blackPaused: false,
      per: deck.slides.map(function () { return 0; }) };
  }
  deck.share("timer", fresh, function (t) { return t.per && t.per.length === total; });
  function T() { return deck.state.timer; }
  function now() { return Date.now(); }
  /* Credit the running time since the last mark to the session and to the slide it was spent on. */
  function settle(t) {
    var T_ = T();
    if (T_.run && t > T_.mark) {
      T_.acc += t - T_.mark;
      T_.per[T_.slide] += t - T_.mark;
      T_.mark = t;
    }
  }
  function changed() { deck.commit("timer"); deck.render(); }
  /* The presenter window keeps the timer in line with the shared position and blackout. */
  function reconcile() {
    if (!deck.presenter) return;
    var state = deck.state, T_ = T(), t = now(), moved = T_.slide !== state.pos.slide;
    var pause = state.black.on && T_.run, resume = !state.black.on && T_.blackPaused;
    if (!moved && !pause && !resume) return;
    settle(t);
    T_.slide = state.pos.slide;
    /* The timer starts by itself at the trainer's first move after the presenter view opens. */
    if (!T_.started && moved) { T_.run = T_.started = true; T_.mark = t; }
    if (pause) { T_.run = false; T_.blackPaused = true; }
    if (resume) { T_.run = true; T_.mark = t; T_.blackPaused = false; }
    changed();
  }
  deck.on("change", function (part) { if (part !== "timer") reconcile(); });
  deck.on("sync", reconcile);
  deck.on("ready", function () { if (!T().rev) T().slide = deck.state.pos.slide; reconcile(); });

  function nudge(ms) {
    var T_ = T();
    settle(now());
    T_.acc = Math.max(0, T_.acc + ms);
    T_.per[T_.slide] = Math.max(0, T_.per[T_.slide] + ms);
    T_.started = true;
    changed();
  }
  deck.timer = {
    get: T,
    run: function (on) {
      var T_ = T(), t = now();
      settle(t);
      T_.run = on;
      T_.started = true;
      T_.mark = t;
      T_.blackPaused = false;
      changed();
    },
    toggle: function () { deck.timer.run(!T().run); },
    nudge: nudge,
    reset: function () {
      var rev = T().rev;
      deck.state.timer = fresh(deck.state.pos.slide);
      T().rev = rev;
      changed();
    },
    elapsed: function (t) { var T_ = T(); return T_.acc + (T_.run ? Math.max(0, t - T_.mark) : 0); },
    /* The time spent on slide i by t. */
    onSlide: function (i, t) { var T_ = T(); return T_.per[i] + (T_.run && T_.slide === i ? Math.max(0, t - T_.mark) : 0); }
  };
  deck.shortcut({ keys: ["T"], label: S.keyTimer, run: deck.timer.toggle, match: function (k, l) { return l === "t"; } });
  deck.shortcut({ keys: ["+", "−"], label: S.keyMinute, run: function (k, e) { nudge(k === "+" || k === "=" || e.code === "Equal" || e.code === "NumpadAdd" ? 60000 : -60000); },
    match: function (k, l, e) { return /^[-+=−]$/.test(k) || /^(Equal|Minus|NumpadAdd|NumpadSubtract)$/.test(e.code); } });

  /* Durations and the clock in the lesson's digits. */
  var clockFmt = null;
  deck.duration = function (ms) {
    var neg = ms < 0, s = Math.round(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var txt = (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
    /* A left-to-right mark keeps the sign before the figure in right-to-left text, as CLDR does. */
    return (neg ? (deck.rtl ? "\u200e" : "") + "−" : "") + deck.num(txt);
  };
  deck.clock = function (t) {
    if (!clockFmt) {
      var data = deck.data;
      try { clockFmt = new Intl.DateTimeFormat(data.lang, { hour: "numeric", minute: "2-digit", numberingSystem: data.numbering }); }
      catch (e) { clockFmt = new Intl.DateTimeFormat(data.lang, { hour: "numeric", minute: "2-digit" }); }
    }
    return deck.num(clockFmt.format(new Date(t)));
  };
});
