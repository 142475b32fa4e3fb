/* microlearn deck runtime: navigation, keys, touch, overview, help, blackout, print, and the presenter
 * view with its pacing timer. No framework, no network; works from file://.
 *
 * The two windows (slides and presenter) talk by postMessage through the window references they
 * hold (window.open's result, window.opener, a message's source): that works from file:// in every
 * browser and needs no storage. A BroadcastChannel is used as well where it works (Chromium shares one
 * between file:// pages; Firefox gives every file:// page its own origin), so a slides window opened
 * anew, with no reference, finds a running presenter. Both windows keep the whole shared state
 * (slide, blackout, timer); every change carries a revision stamp and the newer part wins, so either
 * window can reload or reopen and catch up.
 */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var data = JSON.parse(doc.getElementById("ml-data").textContent);
  var S = data.strings;
  var rtl = data.dir === "rtl";
  var presenter = /(^\?|&)presenter(&|=|$)/.test(location.search);
  var deckId = data.lang + "/" + data.lesson;
  var slides = [].slice.call(doc.querySelectorAll(".slide"));
  var total = slides.length;
  var current = 0;

  /* ---------------------------------------------------------------- helpers */

  function digits(s) { return String(s).replace(/[0-9]/g, function (d) { return data.digits.charAt(+d); }); }
  function fill(t, key, value) { return t.replace("{" + key + "}", value); }
  function el(tag, attrs, kids) {
    var e = doc.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "html") e.innerHTML = attrs[k];
      else if (k === "on") e.addEventListener("click", attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function button(label, action, visible, keys) {
    var b = el("button", { type: "button", "class": "btn", "data-action": action, title: label,
      "aria-label": label, text: visible || label });
    if (keys) b.setAttribute("aria-keyshortcuts", keys);
    return b;
  }
  function store(kind, key, value) {
    /* Web storage may be off (or throw) for file:// pages: everything works without it. */
    try {
      var s = window[kind];
      if (value === undefined) return JSON.parse(s.getItem(key) || "null");
      s.setItem(key, JSON.stringify(value));
    } catch (e) { return null; }
  }
  function announce(text) { doc.getElementById("announcer").textContent = text; }

  /* ---------------------------------------------------------------- the plan: budgets and stages */

  var budget = slides.map(function (s) { return (parseInt(s.getAttribute("data-timing"), 10) || 0) * 1000; });
  var planStart = [], sum = 0;
  budget.forEach(function (b) { planStart.push(sum); sum += b; });
  var planTotal = Math.max((data.totalSeconds || 0) * 1000, sum);
  var stageOf = slides.map(function (s) { return s.getAttribute("data-stage") || ""; });
  function stageSlides(n) { return stageOf.map(function (s, i) { return s === n ? i : -1; }).filter(function (i) { return i >= 0; }); }
  function stageHeading(i) {
    /* The stage's title as the slide shows it: its <bdi> keep "5 MB" in order in a right-to-left lesson. */
    var h = slides[i].querySelector(".slide__title");
    if (!h) return null;
    h = h.cloneNode(true);
    [].forEach.call(h.querySelectorAll(".stage-no, .part"), function (x) { x.remove(); });
    return el("span", { html: h.innerHTML.trim() });
  }
  function stageTitle(i) { var h = stageHeading(i); return h ? h.textContent.trim() : ""; }

  /* ---------------------------------------------------------------- shared state and the timer */

  /* Three parts, each with its own revision stamp, merged part by part (newest wins): the position
   * and the blackout change in either window; the timer changes only in the presenter window, and the
   * slides window keeps a copy so that a reopened presenter resumes it. */
  var KEY = "microlearn:" + deckId;
  function freshTimer(slide) {
    return { rev: 0, run: false, started: false, mark: 0, acc: 0, slide: slide || 0, blackPaused: false,
      per: slides.map(function () { return 0; }) };
  }
  var state = store("sessionStorage", KEY);
  if (!state || !state.timer || state.timer.per.length !== total) {
    state = { pos: { slide: 0, rev: 0 }, black: { on: false, rev: 0 }, timer: freshTimer(0) };
  }
  var T = state.timer;

  function now() { return Date.now(); }
  function bump(part) { part.rev = Math.max(now(), part.rev + 1); }
  function save() { store("sessionStorage", KEY, state); }
  /* Credit the running time since the last mark to the session and to the slide it was spent on. */
  function settle(t) {
    if (T.run && t > T.mark) {
      T.acc += t - T.mark;
      T.per[T.slide] += t - T.mark;
      T.mark = t;
    }
  }
  function elapsed(t) { return T.acc + (T.run ? Math.max(0, t - T.mark) : 0); }
  function onSlide(i, t) { return T.per[i] + (T.run && T.slide === i ? Math.max(0, t - T.mark) : 0); }
  function timerChanged() { bump(T); save(); send("state"); render(); }
  /* The presenter window keeps the timer in line with the shared position and blackout. */
  function reconcile() {
    if (!presenter) return;
    var t = now(), moved = T.slide !== state.pos.slide;
    var pause = state.black.on && T.run, resume = !state.black.on && T.blackPaused;
    if (!moved && !pause && !resume) return;
    settle(t);
    T.slide = state.pos.slide;
    /* The timer starts by itself at the trainer's first move after the presenter view opens. */
    if (!T.started && moved) { T.run = T.started = true; T.mark = t; }
    if (pause) { T.run = false; T.blackPaused = true; }
    if (resume) { T.run = true; T.mark = t; T.blackPaused = false; }
    timerChanged();
  }
  function setRunning(on) {
    var t = now();
    settle(t);
    T.run = on;
    T.started = true;
    T.mark = t;
    T.blackPaused = false;
    timerChanged();
  }
  function nudge(ms) {
    settle(now());
    T.acc = Math.max(0, T.acc + ms);
    T.per[T.slide] = Math.max(0, T.per[T.slide] + ms);
    T.started = true;
    timerChanged();
  }
  function resetTimer() {
    var rev = T.rev;
    T = state.timer = freshTimer(state.pos.slide);
    T.rev = rev;
    timerChanged();
  }
  function setBlack(on) {
    if (on === state.black.on) return;
    state.black.on = on;
    bump(state.black);
    save();
    send("state");
    reconcile();
    render();
  }

  /* ---------------------------------------------------------------- slides: show, URL, counter */

  function fromHash() {
    var m = /^#(\d+)$/.exec(location.hash);
    var n = m ? parseInt(m[1], 10) : 1;
    return Math.min(Math.max(n, 1), total) - 1;
  }
  function show(i, push, remote) {
    i = Math.min(Math.max(i, 0), total - 1);
    if (i !== state.pos.slide && !remote) {
      state.pos.slide = i;
      bump(state.pos);
      save();
      send("state");
      reconcile();
    }
    if (slides[current]) slides[current].classList.remove("is-current");
    current = i;
    slides.forEach(function (s, j) { s.classList.toggle("is-past", j < i); });
    slides[current].classList.add("is-current");
    var hash = "#" + (current + 1);
    if (location.hash !== hash) history[push ? "pushState" : "replaceState"](null, "", location.pathname + location.search + hash);
    announce(slides[current].getAttribute("aria-label"));
    if (root.classList.contains("is-overview")) { slides[current].scrollIntoView({ block: "nearest" }); slides[current].focus(); }
    render();
  }
  function go(d) { show(current + d, true); }

  var counter = doc.querySelector(".controls__counter");
  var bar = doc.querySelector(".progress__bar");
  function renderDeck() {
    if (counter) counter.textContent = digits((current + 1) + " / " + total);
    if (bar) bar.style.inlineSize = ((current + 1) / total * 100) + "%";
    root.classList.toggle("is-black", state.black.on && !presenter);
  }

  /* ---------------------------------------------------------------- the two windows */

  var peer = presenter ? window.opener : null, lastSeen = 0;
  var winName = "microlearn-presenter:" + deckId;
  var channel = null;
  try {
    channel = new BroadcastChannel("microlearn:" + deckId);
    channel.onmessage = function (e) { receive(e.data, null); };
  } catch (e) { /* no BroadcastChannel: window references alone */ }
  /* Only a window of the deck's own origin may drive it or read its state: over http(s) messages go to and
   * come from this origin alone. file:// pages have no origin to name ("*" is the only target that reaches
   * the other window), and a page on the web cannot open a file:// deck. */
  var local = location.protocol === "file:";
  function send(type) {
    var m = { microlearn: deckId, type: type, presenter: presenter, state: state };
    if (peer && !peer.closed) try { peer.postMessage(m, local ? "*" : location.origin); } catch (e) { /* gone */ }
    if (channel) channel.postMessage(m);
  }
  window.addEventListener("message", function (e) {
    if (e.source !== window && (local || e.origin === location.origin)) receive(e.data, e.source);
  });
  function receive(m, source) {
    if (!m || m.microlearn !== deckId || !m.state) return;
    if (m.presenter !== presenter) {
      if (source) peer = source;
      lastSeen = now();
    }
    var got = m.state, moved = false;
    ["pos", "black", "timer"].forEach(function (k) {
      var a = got[k], b = state[k];
      /* Newest wins; a tie (two changes in the same millisecond) goes the same way in every window. */
      if (a && (a.rev > b.rev || (a.rev === b.rev && JSON.stringify(a) > JSON.stringify(b)))) {
        if (k === "timer" && (!a.per || a.per.length !== total)) return;
        state[k] = a;
        moved = moved || k === "pos";
      }
    });
    T = state.timer;
    save();
    if (moved) show(state.pos.slide, false, true);
    reconcile();
    if (m.type === "hello") send("state");
    if (m.type === "bye" && m.presenter !== presenter) lastSeen = 0;
    render();
  }
  window.addEventListener("pagehide", function () { send("bye"); });
  function openPresenter() {
    if (presenter) return;
    if (peer && !peer.closed) { try { peer.focus(); } catch (e) { /* ignore */ } send("state"); return; }
    var url = location.href.replace(/[?#].*$/, "") + "?presenter#" + (current + 1);
    var w = window.open(url, winName, "popup,width=1200,height=760");
    if (!w) { announce(S.popupBlocked); toast(S.popupBlocked); return; }
    peer = w;
  }

  /* ---------------------------------------------------------------- dialogs: help, confirm, jump, toast */

  var KEYS = [
    [rtl ? "← ↓ PageDown" : "→ ↓ PageDown", S.keyNext, true],
    [rtl ? "→ ↑ PageUp" : "← ↑ PageUp", S.keyPrev, false, true],
    ["Home End", S.keyFirstLast],
    ["G 1…9 Enter", S.keyJump],
    ["O Esc", S.keyOverview],
    ["F", S.keyFullscreen],
    ["B .", S.keyBlack],
    ["T", S.keyTimer],
    ["+ −", S.keyMinute],
    ["P", S.keyPresenter],
    ["?", S.keyHelp]
  ];
  function kbds(spec, space, shift) {
    var out = spec.split(" ").map(function (k) { return el("kbd", { text: digits(k) }); });
    if (space) out.push(el("kbd", { text: S.keySpace }));
    if (shift) out.push(el("kbd", { text: "Shift+" + S.keySpace }));
    return out;
  }
  var help;
  function showHelp() {
    if (!help) {
      var list = el("dl", { "class": "keys" });
      KEYS.forEach(function (k) { list.appendChild(el("dt", {}, kbds(k[0], k[2], k[3]))); list.appendChild(el("dd", { text: k[1] })); });
      help = el("dialog", { "class": "dialog", "aria-labelledby": "ml-help-title" }, [
        el("h2", { id: "ml-help-title", text: S.help }), list,
        el("p", { "class": "dialog__actions" }, [
          el("button", { type: "button", "class": "btn", text: S.print, on: function () { help.close(); printDeck(false); } }),
          el("button", { type: "button", "class": "btn", text: S.printNotes, on: function () { help.close(); printDeck(true); } }),
          el("button", { type: "button", "class": "btn", text: S.close, on: function () { help.close(); } })
        ])
      ]);
      doc.body.appendChild(help);
    }
    if (!help.open) help.showModal();
  }
  function confirmBox(message, yes, then) {
    var d = el("dialog", { "class": "dialog", role: "alertdialog", "aria-label": message }, [el("p", { text: message })]);
    var form = el("form", { method: "dialog", "class": "dialog__actions" }, [
      el("button", { value: "cancel", "class": "btn", autofocus: "", text: S.cancel }),
      el("button", { value: "yes", "class": "btn btn--danger", text: yes })
    ]);
    d.appendChild(form);
    d.addEventListener("close", function () { d.remove(); if (d.returnValue === "yes") then(); });
    doc.body.appendChild(d);
    d.showModal();
  }
  var toastEl;
  function toast(text) {
    if (!toastEl) { toastEl = el("p", { "class": "toast", role: "status" }); doc.body.appendChild(toastEl); }
    toastEl.textContent = text;
    toastEl.hidden = !text;
  }
  var jump = null;
  function setJump(v) { jump = v; toast(v === null ? "" : fill(S.jumpPrompt, "num", digits(v || "…"))); }

  /* ---------------------------------------------------------------- overview, fullscreen, print */

  function overview(on) {
    if (presenter) return;
    root.classList.toggle("is-overview", on);
    slides.forEach(function (s) { if (on) s.setAttribute("tabindex", "0"); else s.removeAttribute("tabindex"); });
    if (on) { slides[current].scrollIntoView({ block: "center" }); slides[current].focus(); }
  }
  function fullscreen() {
    if (doc.fullscreenElement) doc.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () { /* not allowed here */ });
  }
  function printDeck(notes) {
    root.classList.toggle("print-notes", notes);
    window.print();
  }
  if (/(^\?|&)notes(&|=|$)/.test(location.search)) root.classList.add("print-notes");

  /* ---------------------------------------------------------------- keyboard */

  var LOCAL_DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩";
  function digitOf(k) {
    if (/^[0-9]$/.test(k)) return k;
    var i = LOCAL_DIGITS.indexOf(k);
    return i < 0 ? null : String(i % 10);
  }
  /* A button clicked with the mouse gives the focus back, so the next Space or Enter moves the slides
     instead of pressing that button again. Tabbing to a button and pressing Space still presses it. */
  doc.addEventListener("click", function (e) {
    var b = e.detail > 0 && e.target.closest && e.target.closest("button");
    if (b) setTimeout(function () { if (doc.activeElement === b) b.blur(); }, 0);
  });
  doc.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    if (doc.querySelector("dialog[open]")) return; /* the dialog has the keyboard */
    var k = e.key;
    var t = e.target;
    if (t.closest && t.closest("input, textarea, select") ) return;
    if ((k === " " || k === "Enter") && t.closest && t.closest("button, a, summary")) return;
    /* Letters by physical key too, so P, B, O, F, G work with a Greek, Russian or Persian layout. */
    var letter = /^[a-z]$/i.test(k) ? k.toLowerCase() : (/^Key[A-Z]$/.test(e.code) ? e.code.charAt(3).toLowerCase() : "");
    var d = digitOf(k);
    if (jump !== null && d === null && ["Enter", "Escape", "Backspace", "Shift"].indexOf(k) < 0) setJump(null);
    if (d !== null) { setJump((jump || "") + d); }
    else if (jump !== null && k === "Enter") { if (jump) show(parseInt(jump, 10) - 1, true); setJump(null); }
    else if (jump !== null && (k === "Escape" || k === "Backspace")) setJump(k === "Escape" || jump.length < 2 ? null : jump.slice(0, -1));
    else if (root.classList.contains("is-overview") && (k === "Enter" || k === "Escape" || letter === "o")) {
      if (k === "Enter" && slides.indexOf(t) >= 0) show(slides.indexOf(t), true);
      overview(false);
    }
    else if (k === "ArrowRight") go(rtl ? -1 : 1);
    else if (k === "ArrowLeft") go(rtl ? 1 : -1);
    else if (k === "ArrowDown" || k === "PageDown" || (k === " " && !e.shiftKey)) go(1);
    else if (k === "ArrowUp" || k === "PageUp" || (k === " " && e.shiftKey)) go(-1);
    else if (k === "Home") show(0, true);
    else if (k === "End") show(total - 1, true);
    else if (letter === "g") setJump("");
    else if (k === "Escape" || letter === "o") overview(true);
    else if (letter === "f") fullscreen();
    else if (letter === "b" || k === "." || e.code === "Period") setBlack(!state.black.on);
    else if (letter === "p") openPresenter();
    else if (letter === "t") setRunning(!T.run);
    else if (k === "+" || k === "=" || e.code === "Equal" || e.code === "NumpadAdd") nudge(60000);
    else if (k === "-" || k === "−" || e.code === "Minus" || e.code === "NumpadSubtract") nudge(-60000);
    else if (k === "?" || (e.code === "Slash" && e.shiftKey)) showHelp();
    else return;
    e.preventDefault();
  });

  /* ---------------------------------------------------------------- pointer: buttons, overview, swipe */

  doc.addEventListener("click", function (e) {
    var b = e.target.closest("[data-action]");
    if (b) {
      var a = b.getAttribute("data-action");
      if (a === "next") go(1);
      else if (a === "prev") go(-1);
      else if (a === "presenter") openPresenter();
      else if (a === "help") showHelp();
      else if (actions[a]) actions[a]();
      return;
    }
    var s = e.target.closest(".is-overview .slide");
    if (s) { show(slides.indexOf(s), true); overview(false); }
    else if (e.target.closest(".blackout")) setBlack(false);
  });
  var touch = null;
  doc.addEventListener("pointerdown", function (e) { if (e.pointerType === "touch") touch = [e.clientX, e.clientY]; });
  doc.addEventListener("pointerup", function (e) {
    if (!touch || e.pointerType !== "touch") return;
    var dx = e.clientX - touch[0], dy = e.clientY - touch[1];
    touch = null;
    /* Swiping against the reading direction moves forward: leftwards in Greek, rightwards in Persian. */
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) go((dx < 0) !== rtl ? 1 : -1);
  });
  window.addEventListener("popstate", function () { show(fromHash(), false); });
  window.addEventListener("hashchange", function () { show(fromHash(), false); });

  /* ---------------------------------------------------------------- presenter view */

  var actions = {}, P = {};
  function fmtDur(ms) {
    var neg = ms < 0, s = Math.round(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var txt = (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
    /* A left-to-right mark keeps the sign before the figure in right-to-left text, as CLDR does. */
    return (neg ? (rtl ? "\u200e" : "") + "−" : "") + digits(txt);
  }
  var clockFmt = null;
  function clock(t) {
    if (!clockFmt) {
      try { clockFmt = new Intl.DateTimeFormat(data.lang, { hour: "numeric", minute: "2-digit", numberingSystem: data.numbering }); }
      catch (e) { clockFmt = new Intl.DateTimeFormat(data.lang, { hour: "numeric", minute: "2-digit" }); }
    }
    return digits(clockFmt.format(new Date(t)));
  }
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
    var size = Math.min(3, Math.max(0.8, (store("localStorage", "microlearn:notes-size") || 1.25) + d));
    store("localStorage", "microlearn:notes-size", size);
    P.notes.style.fontSize = size + "rem";
  }
  function cueList(title, items, cls) {
    if (!items || !items.length) return null;
    var list = el("ul");
    items.forEach(function (h) { list.appendChild(el("li", { html: h })); });
    return el("div", { "class": "pv__cue " + (cls || "") }, [el("h3", { text: title }), list]);
  }
  function buildPresenter() {
    root.classList.add("presenter");
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
    P.report = el("section", { "class": "pv__panel pv__report", "aria-label": S.report, hidden: "" });
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
        panel("pv__cues", S.cues, [P.discussion, cueList(S.objectives, data.objectives), cueList(S.keyMessages, data.keyMessages)])]),
      P.report
    ]);
    doc.body.appendChild(main);
    notesSize(0);
    actions.pause = function () { setRunning(!T.run); };
    actions.minus = function () { nudge(-60000); };
    actions.plus = function () { nudge(60000); };
    actions.reset = function () { confirmBox(S.resetConfirm, S.reset, resetTimer); };
    actions.black = function () { setBlack(!state.black.on); };
    actions.smaller = function () { notesSize(-0.125); };
    actions.bigger = function () { notesSize(0.125); };
    actions.report = function () { P.report.hidden = !P.report.hidden; renderReport(); };
    actions.save = saveReport;
    setInterval(function () {
      send("hello"); /* also a heartbeat: the slides window answers, so both know the other is there */
      render();
    }, 1000);
    send("hello");
  }
  function preview(box, i) {
    box.textContent = "";
    if (i >= total) { box.appendChild(el("p", { "class": "pv__end", text: S.end })); return; }
    var c = slides[i].cloneNode(true);
    c.removeAttribute("id");
    [].forEach.call(c.querySelectorAll("[id]"), function (x) { x.removeAttribute("id"); });
    var n = c.querySelector(".notes");
    if (n) n.remove();
    c.classList.add("is-current");
    c.setAttribute("inert", "");
    box.appendChild(c);
    fit(c);
  }
  var shown = -1;
  function renderPresenter() {
    var t = now(), i = current;
    if (shown !== i) {
      shown = i;
      preview(P.cur, i);
      preview(P.next, i + 1);
      var n = slides[i].querySelector(".notes");
      P.notes.innerHTML = n ? n.innerHTML : "";
      if (!n) P.notes.appendChild(el("p", { "class": "pv__none", text: S.noNotes }));
      P.discussion.textContent = "";
      if (slides[i].classList.contains("slide--discussion")) P.discussion.appendChild(cueList(S.discussion, data.discussion, "pv__cue--now"));
      if (i === total - 1) P.report.hidden = false;
    }
    P.clock.textContent = clock(t);
    var e = elapsed(t);
    P.elapsed.textContent = fmtDur(e);
    P.pause.textContent = T.run ? S.pause : (T.started ? S.resume : S.start);
    P.pause.setAttribute("aria-label", P.pause.textContent);
    P.pause.title = P.pause.textContent;
    P.pause.setAttribute("aria-pressed", String(!T.run && T.started));
    root.classList.toggle("timer-paused", !T.run);
    P.blackBtn.setAttribute("aria-pressed", String(state.black.on));
    var stage = stageOf[i];
    if (stage) {
      var idx = stageSlides(stage), b = 0, spent = 0;
      idx.forEach(function (j) { b += budget[j]; spent += onSlide(j, t); });
      P.stage.textContent = digits(("0" + stage).slice(-2)) + " ";
      P.stage.appendChild(stageHeading(idx[0]) || doc.createTextNode(""));
      P.budget.textContent = fmtDur(b);
      P.left.textContent = fmtDur(b - spent);
      P.left.classList.toggle("is-over", spent > b);
    } else {
      P.stage.textContent = P.budget.textContent = P.left.textContent = "—";
      P.left.classList.remove("is-over");
    }
    var expected = planStart[i] + Math.min(onSlide(i, t), budget[i]);
    var delta = e - expected;
    if (!T.started) {  /* no pace to judge before the session starts */
      P.plan.textContent = "—";
      P.plan.className = "num";
    } else {
      P.plan.textContent = Math.abs(delta) < 30000 ? S.onTime : fill(delta > 0 ? S.behind : S.ahead, "time", fmtDur(Math.abs(delta)));
      P.plan.className = "num " + (Math.abs(delta) < 30000 ? "" : delta > 0 ? "is-over" : "is-ahead");
    }
    P.session.textContent = fmtDur(planTotal - e);
    P.finish.textContent = clock(t + Math.max(0, planTotal - expected));
    var alive = t - lastSeen < 3000;
    P.status.textContent = (state.black.on ? S.blackout + " · " : "") + (T.started && !T.run ? S.paused + " · " : "") +
      (alive ? S.connected : S.reconnecting);
    P.status.classList.toggle("is-off", !alive);
    if (!P.report.hidden) renderReport();
  }

  /* ---------------------------------------------------------------- after the session: planned and actual */

  function reportRows() {
    var t = now(), rows = [], seen = {}, other = 0;
    slides.forEach(function (s, i) {
      var n = stageOf[i];
      if (!n) { other += onSlide(i, t); return; }
      if (!seen[n]) { seen[n] = { stage: +n, title: stageTitle(i), node: stageHeading(i), planned: 0, actual: 0 }; rows.push(seen[n]); }
      seen[n].planned += budget[i];
      seen[n].actual += onSlide(i, t);
    });
    rows.push({ stage: 0, title: S.otherSlides, planned: planTotal - sum, actual: other });
    return rows;
  }
  function signed(ms) { return (ms > 0 ? (rtl ? "\u200e" : "") + "+" : "") + fmtDur(ms); }
  function renderReport() {
    var rows = reportRows(), tp = 0, ta = 0;
    var body = el("tbody");
    rows.forEach(function (r) {
      tp += r.planned; ta += r.actual;
      body.appendChild(el("tr", {}, [
        el("th", { scope: "row" }, [doc.createTextNode(r.stage ? digits(("0" + r.stage).slice(-2)) + " " : ""),
          r.node || doc.createTextNode(r.title)]),
        el("td", { "class": "num", text: fmtDur(r.planned) }), el("td", { "class": "num", text: fmtDur(r.actual) }),
        el("td", { "class": "num", text: signed(r.actual - r.planned) })]));
    });
    var head = el("tr", {}, [S.stage, S.planned, S.actual, S.difference].map(function (h) { return el("th", { scope: "col", text: h }); }));
    var foot = el("tr", {}, [el("th", { scope: "row", text: S.total }), el("td", { "class": "num", text: fmtDur(tp) }),
      el("td", { "class": "num", text: fmtDur(ta) }), el("td", { "class": "num", text: signed(ta - tp) })]);
    P.report.textContent = "";
    P.report.appendChild(el("h2", { "class": "pv__h", text: S.report }));
    P.report.appendChild(el("table", { "class": "pv__table" }, [el("thead", {}, [head]), body, el("tfoot", {}, [foot])]));
    P.report.appendChild(el("p", {}, [button(S.save, "save")]));
  }
  function saveReport() {
    /* CSV in plain seconds and ASCII digits, for a spreadsheet or a script to recalibrate {time=…}. */
    /* A cell starting with = + - @ (or a tab or carriage return) is a formula to a spreadsheet: a stage titled
     * =HYPERLINK(...) would run when the file is opened. A leading ' makes it text. */
    var q = function (s) {
      s = String(s);
      return '"' + (/^[=+\-@\t\r]/.test(s) ? "'" + s : s).replace(/"/g, '""') + '"';
    };
    var lines = ["lesson,lang,stage,title,planned_seconds,actual_seconds"];
    reportRows().forEach(function (r) {
      lines.push([q(data.lesson), data.lang, r.stage || "", q(r.title), Math.round(r.planned / 1000), Math.round(r.actual / 1000)].join(","));
    });
    var a = el("a", { href: URL.createObjectURL(new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv" })),
      download: data.lesson + "-" + data.lang + "-timings.csv" });
    doc.body.appendChild(a);
    a.click();
    a.remove();
  }

  /* ---------------------------------------------------------------- start */

  function render() {
    renderDeck();
    if (presenter && P.clock) renderPresenter();
  }
  var blackout = el("div", { "class": "blackout", title: S.blackout });
  doc.body.appendChild(blackout);
  if (presenter) buildPresenter();
  /* Text that does not fit a slide is shrunk, down to 60 %, then scrolls: never silently cut. The factor
   * scales with the slide, so it holds in any window, in the presenter's previews and in print. */
  function fit(s) {
    var b = s.querySelector(".slide__body"), f = 1;
    if (!b) return;
    b.style.removeProperty("--fit");
    s.classList.remove("is-overfull");
    while (b.scrollHeight > b.clientHeight + 1 && f > 0.6) { f -= 0.05; b.style.setProperty("--fit", f.toFixed(2)); }
    if (b.scrollHeight > b.clientHeight + 1) s.classList.add("is-overfull");
  }
  function fitAll() { if (!presenter) slides.forEach(fit); }
  fitAll();
  window.addEventListener("load", fitAll);
  /* A phone turned, a window resized: the slide's shape or its smallest text size may have changed. */
  window.addEventListener("resize", fitAll);
  var start = fromHash();
  if (start !== state.pos.slide) { state.pos.slide = start; bump(state.pos); }
  if (!T.rev) T.slide = start;
  show(start, false, true);
  reconcile();
  save();
  send("hello");
})();
