/* Tracking, in the learner's deck of a SCORM package: the slides seen and the answers given, reported to the
   LMS through the SCORM 1.2 API ("API") or the 2004 one ("API_1484_11"), found in a parent or opener window
   as the standard's discovery algorithm looks for it. Without an LMS (a USB stick, file://) the same state
   stays in localStorage, under a key of the lesson, its language and its revision: every file:// page
   shares one store. Every call's error code is checked; an error is logged and the lesson goes on. */
microlearn.deck.register("tracking", function (deck) {
  var L = JSON.parse(document.getElementById("ml-learner").textContent), v12 = L.standard === "1.2";
  var total = deck.total, questions = L.questions, scored = questions.filter(function (q) { return q.scored; });
  var N = v12 ? { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish",
    err: "LMSGetLastError", text: "LMSGetErrorString", location: "cmi.core.lesson_location", exit: "cmi.core.exit",
    time: "cmi.core.session_time", score: "cmi.core.score.", response: "student_response", pass: "cmi.student_data.mastery_score" }
    : { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
    err: "GetLastError", text: "GetErrorString", location: "cmi.location", exit: "cmi.exit",
    time: "cmi.session_time", score: "cmi.score.", response: "learner_response", pass: "cmi.scaled_passing_score" };
  var seen = [], answers = {}, sent = {}, started = Date.now(), api = find(), live = false, finished = false, asking = false;
  var hadHash = /^#\d+$/.test(location.hash), stored = { location: "", data: "" };

  function find() {
    var name = v12 ? "API" : "API_1484_11";
    function up(w) {
      for (var i = 0; w && i < 8; i++) {
        try { if (w[name]) return w[name]; } catch (e) { /* another origin: look further up */ }
        if (w.parent === w) break;
        w = w.parent;
      }
      return null;
    }
    return up(window) || up(window.opener);
  }
  /* One call; its error code checked. Reading an element the LMS has not set is error 403 in SCORM 2004:
     not a failure, the element is empty. */
  function call(fn, a, b) {
    var r = b === undefined ? api[N[fn]](a === undefined ? "" : a) : api[N[fn]](a, b);
    var code = String(api[N.err]());
    if (code !== "0" && !(fn === "get" && code === "403")) {
      if (window.console) console.warn("microlearn: " + N[fn] + "(" + (a || "") + (b !== undefined ? ", " + b : "") + "): error " + code + " " + api[N.text](code));
    }
    return fn === "get" ? (code === "0" ? String(r) : "") : String(r) === "true";
  }
  function set(key, value) {
    value = String(value);
    if (sent[key] === value) return;
    if (call("set", key, value)) sent[key] = value;
  }

  /* The state in few characters (SCORM 1.2 allows 4,096): "1;<slides>;<seen, a hex bitmap>;<answers>", an
     answer being the chosen options as a base-36 bitmask, "-" for none. */
  function encode() {
    var hex = "", i, j, nib;
    for (i = 0; i < total; i += 4) {
      for (nib = 0, j = 0; j < 4; j++) if (seen[i + j]) nib |= 1 << j;
      hex += nib.toString(16);
    }
    return "1;" + total + ";" + hex + ";" + questions.map(function (q) {
      var a = answers[q.number];
      return a ? a.reduce(function (m, o) { return m | (1 << (o - 1)); }, 0).toString(36) : "-";
    }).join(".");
  }
  function decode(text) {
    var p = String(text || "").split(";");
    if (p[0] !== "1" || +p[1] !== total || p.length !== 4) return;
    for (var i = 0; i < total; i++) seen[i] = !!(parseInt(p[2].charAt(i >> 2) || "0", 16) & (1 << (i & 3)));
    p[3].split(".").forEach(function (a, k) {
      var q = questions[k], m = parseInt(a, 36), got = [];
      if (!q || !q.scored || a === "-" || isNaN(m)) return;
      for (var o = 1; m; o++, m >>= 1) if (m & 1) got.push(o);
      answers[q.number] = got;
    });
  }
  function right(n) {
    var q = questions.filter(function (x) { return x.number === n; })[0], a = answers[n];
    return !!(q && a) && a.length === q.correct.length && a.every(function (o) { return q.correct.indexOf(o) >= 0; });
  }
  function summary() {
    var count = seen.filter(Boolean).length, answered = scored.filter(function (q) { return answers[q.number]; }).length;
    var good = scored.filter(function (q) { return right(q.number); }).length;
    var done = answered === scored.length, score = scored.length ? Math.round(100 * good / scored.length) : 100;
    var scoredNow = scored.length ? done : count === total;
    return { seen: count, total: total, answered: answered, questions: scored.length, score: score, scored: scoredNow,
      mark: threshold, passed: scoredNow && score >= threshold, complete: count === total };
  }
  function report() {
    var s = summary();
    if (live) {
      if (s.scored) {
        set(N.score + "min", 0);
        set(N.score + "max", 100);
        set(N.score + "raw", s.score);
        if (!v12) set("cmi.score.scaled", s.score / 100);
      }
      if (v12) {
        set("cmi.core.lesson_status", !s.scored ? "incomplete" : scored.length ? (s.passed ? "passed" : "failed") : "completed");
      } else {
        set("cmi.completion_status", s.complete ? "completed" : "incomplete");
        set("cmi.progress_measure", s.complete ? 1 : Math.min(0.9999, Math.round(10000 * s.seen / total) / 10000));
        set("cmi.success_status", !s.scored ? "unknown" : s.passed ? "passed" : "failed");
      }
      if (!asking) set(N.location, deck.current + 1);
      set("cmi.suspend_data", encode());
      call("commit");
    } else {
      deck.store("localStorage", L.store, { location: asking ? stored.location : String(deck.current + 1), data: encode() });
    }
    deck.emit("progress", s);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function finish() {
    if (finished || !live) return;
    finished = true;
    var t = Math.round((Date.now() - started) / 1000), h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, sec = t % 60;
    var s = summary(), over = s.passed && (v12 || s.complete);
    /* SCORM 1.2's CMITimespan has 2 to 4 digits of hours (HHHH:MM:SS.SS): more than 9,999 hours is 9,999. */
    var hh = h > 9999 ? "9999:59:59.99" : ("000" + h).slice(-4) + ":" + pad(m) + ":" + pad(sec) + ".00";
    set(N.time, v12 ? hh : "PT" + h + "H" + m + "M" + sec + "S");
    set(N.exit, over ? (v12 ? "" : "normal") : "suspend");
    call("finish");
  }

  if (api) {
    live = call("init");
    if (live) {
      var resuming = v12 || call("get", "cmi.entry") === "resume";
      stored = resuming ? { location: call("get", N.location), data: call("get", "cmi.suspend_data") } : stored;
      if (v12 && call("get", "cmi.core.lesson_status") === "not attempted") set("cmi.core.lesson_status", "incomplete");
      window.addEventListener("pagehide", finish);
      window.addEventListener("beforeunload", finish);
    }
  } else {
    stored = deck.store("localStorage", L.store) || stored;
  }
  decode(stored.data);
  /* The pass mark: the LMS's, from the manifest (1.2 mastery_score, 2004 scaled_passing_score), else the lesson's. */
  var threshold = L.passMark, pass = live ? parseFloat(call("get", N.pass)) : NaN;
  if (!isNaN(pass)) threshold = v12 ? pass : Math.round(pass * 100);

  deck.learner = L;
  deck.learn = {
    answers: answers, right: right, summary: summary,
    answer: function (n, chosen) {
      var q = questions.filter(function (x) { return x.number === n; })[0];
      if (!q || !q.scored || answers[n]) return;
      answers[n] = chosen.slice().sort(function (a, b) { return a - b; });
      if (live) {
        var i = "cmi.interactions." + call("get", "cmi.interactions._count") + ".", join = v12 ? "," : "[,]";
        var letters = function (list) { return list.map(function (o) { return "abcdefghijklmnopqrstuvwxyz".charAt(o - 1) || String(o); }).join(join); };
        set(i + "id", "q" + n);
        set(i + "type", "choice");
        set(i + N.response, letters(answers[n]));
        set(i + "correct_responses.0.pattern", letters(q.correct));
        set(i + "result", right(n) ? "correct" : v12 ? "wrong" : "incorrect");
      }
      report();
    },
    again: function () {
      Object.keys(answers).forEach(function (k) { delete answers[k]; });
      report();
    }
  };
  deck.on("slide", function (i) {
    seen[i] = true;
    if (deck.learn.ready) report();
  });
  deck.on("ready", function () {
    deck.learn.ready = true;
    var at = parseInt(stored.location, 10);
    if (hadHash || !(at > 1 && at <= total) || at === deck.current + 1) { report(); return; }
    asking = true;
    report();
    var S = L.strings, d = deck.el("dialog", { "class": "dialog", role: "alertdialog", "aria-label": deck.fill(S.resume, "num", deck.num(at)) },
      [deck.el("p", { text: deck.fill(S.resume, "num", deck.num(at)) })]);
    d.appendChild(deck.el("form", { method: "dialog", "class": "dialog__actions" }, [
      deck.el("button", { value: "restart", "class": "btn", text: S.resumeNo }),
      deck.el("button", { value: "resume", "class": "btn btn--primary", autofocus: "", text: S.resumeYes })
    ]));
    d.addEventListener("close", function () {
      d.remove();
      asking = false;
      deck.go(d.returnValue === "resume" ? at - 1 : 0, false);
    });
    document.body.appendChild(d);
    d.showModal();
  });
});
