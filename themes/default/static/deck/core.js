"use strict";
/* for the whole joined script */
/* microlearn deck: no framework, no network, works from file://. This core holds the slides, the current
 * one and the state both windows share; one controller per concern (deck/*.js, joined in the order of
 * render.theme.DECK_PARTS) talks to it through microlearn.deck alone. Events: start, slide, change, sync,
 * render, ready, key, click. The shared state has parts (position, blackout, timer), each with its own
 * revision stamp, merged part by part (newest wins): either window can reload or reopen and catch up. */
(function () {
  var doc = document, root = doc.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var data = JSON.parse(doc.getElementById("ml-data").textContent);
  var slides = [].slice.call(doc.querySelectorAll(".slide")), total = slides.length;
  var id = data.lang + "/" + data.lesson, KEY = "microlearn:" + id, on = {}, parts = [], firsts = 0;
  function store(kind, key, value) {
    /* Web storage may be off (or throw) for file:// pages: everything works without it. */
    try {
      var s = window[kind];
      if (value === undefined) return JSON.parse(s.getItem(key) || "null");
      s.setItem(key, JSON.stringify(value));
    } catch (e) { return null; }
  }
  function emit(name, a, b) { (on[name] || []).forEach(function (fn) { fn(a, b); }); }
  function bump(part) { part.rev = Math.max(Date.now(), part.rev + 1); }
  function save() { store("sessionStorage", KEY, deck.state); }
  /* Show slide i; push: a new history entry; remote: the other window moved there already. */
  function go(i, push, remote) {
    var pos = deck.state.pos;
    i = Math.min(Math.max(i, 0), total - 1);
    if (i !== pos.slide && !remote) { pos.slide = i; deck.commit("pos"); }
    if (slides[deck.current]) slides[deck.current].classList.remove("is-current");
    deck.current = i;
    slides.forEach(function (s, j) { s.classList.toggle("is-past", j < i); });
    slides[i].classList.add("is-current");
    emit("slide", i, push);
    deck.announce(slides[i].getAttribute("aria-label"));
    deck.render();
  }
  var deck = (window.microlearn = window.microlearn || {}).deck = {
    data: data, strings: data.strings, digits: Array.from(data.digits), rtl: data.dir === "rtl", id: id,
    presenter: /(^\?|&)presenter(&|=|$)/.test(location.search),
    root: root, slides: slides, total: total, current: 0, state: null, shortcuts: [], actions: {},
    register: function (name, controller) { controller(deck); },
    on: function (name, fn) { (on[name] = on[name] || []).push(fn); },
    emit: emit,
    go: go,
    render: function () { emit("render"); },
    /* A part of the shared state: fresh() makes one, valid(p) tells whether a stored or received one fits. */
    share: function (name, fresh, valid) { parts.push({ name: name, fresh: fresh, valid: valid }); },
    /* A part changed here: stamp it, keep it for a reload, tell the other window. */
    commit: function (name) { bump(deck.state[name]); save(); deck.send("state"); emit("change", name); },
    /* The other window's parts: the newer wins; a tie (two changes in the same millisecond) goes the same
       way in every window. */
    merge: function (got) {
      var state = deck.state, moved = false;
      parts.forEach(function (p) {
        var a = got[p.name], b = state[p.name];
        if (a && (a.rev > b.rev || (a.rev === b.rev && JSON.stringify(a) > JSON.stringify(b))) && (!p.valid || p.valid(a))) {
          state[p.name] = a;
          moved = moved || p.name === "pos";
        }
      });
      save();
      if (moved) go(state.pos.slide, false, true);
      emit("sync");
    },
    send: function () { /* sync.js sends to the other window */ },
    /* A key: keys and label for the help table (none: not listed), match(key, letter, event), run(key, event);
       first: tried before the others (a mode that takes keys: a number being typed, the overview). */
    shortcut: function (s) { deck.shortcuts.splice(s.first ? firsts++ : deck.shortcuts.length, 0, s); },
    /* What a click on an element with data-action="name" does: fn(event). */
    action: function (name, fn) { deck.actions[name] = fn; },
    start: function () {
      var state = store("sessionStorage", KEY);
      if (!state || parts.some(function (p) { return !state[p.name] || (p.valid && !p.valid(state[p.name])); })) {
        state = {};
        parts.forEach(function (p) { state[p.name] = p.fresh(); });
      }
      deck.state = state;
      emit("start");
      var i = deck.current;
      if (i !== state.pos.slide) { state.pos.slide = i; bump(state.pos); }
      go(i, false, true);
      emit("ready");
      save();
      deck.send("hello");
    },
    num: function (s) { return String(s).replace(/[0-9]/g, function (d) { return deck.digits[+d]; }); },
    fill: function (t, key, value) { return t.replace("{" + key + "}", value); },
    store: store,
    announce: function (text) { doc.getElementById("announcer").textContent = text; },
    el: function (tag, attrs, kids) {
      var e = doc.createElement(tag);
      for (var k in attrs || {}) {
        if (k === "text") e.textContent = attrs[k];
        else if (k === "html") e.innerHTML = attrs[k];
        else if (k === "on") e.addEventListener("click", attrs[k]);
        else e.setAttribute(k, attrs[k]);
      }
      (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
      return e;
    },
    button: function (label, action, visible, keys) {
      var b = deck.el("button", { type: "button", "class": "btn", "data-action": action, title: label,
        "aria-label": label, text: visible || label });
      if (keys) b.setAttribute("aria-keyshortcuts", keys);
      return b;
    }
  };
  deck.share("pos", function () { return { slide: 0, rev: 0 }; });
  deck.share("black", function () { return { on: false, rev: 0 }; });
  doc.addEventListener("click", function (e) {
    var b = e.target.closest("[data-action]"), fn = b && deck.actions[b.getAttribute("data-action")];
    if (b) { if (fn) fn(e); return; }
    emit("click", e);
  });
})();
