/* Jump: G (or a digit), the slide's number, Enter. Digits are read in ASCII and in the lesson's own
   digits (data.digits: the page's numbering system, Persian, Arabic-Indic, Devanagari…). */
microlearn.deck.register("jump", function (deck) {
  var S = deck.strings, jump = null;
  function digitOf(k) {
    if (/^[0-9]$/.test(k)) return k;
    var i = deck.digits.indexOf(k);
    return i < 0 ? null : String(i);
  }
  function setJump(v) { jump = v; deck.toast(v === null ? "" : deck.fill(S.jumpPrompt, "num", deck.num(v || "…"))); }
  /* Any other key drops the number, and then does what it does. */
  deck.on("key", function (k) {
    if (jump !== null && digitOf(k) === null && ["Enter", "Escape", "Backspace", "Shift"].indexOf(k) < 0) setJump(null);
  });
  deck.shortcut({ first: true, match: function (k) { return digitOf(k) !== null || (jump !== null && /^(Enter|Escape|Backspace)$/.test(k)); },
    run: function (k) {
      var d = digitOf(k);
      if (d !== null) setJump((jump || "") + d);
      else if (k === "Enter") { if (jump) deck.go(parseInt(jump, 10) - 1, true); setJump(null); }
      else setJump(k === "Escape" || jump.length < 2 ? null : jump.slice(0, -1));
    } });
  deck.shortcut({ keys: ["G", deck.num("1…9"), "Enter"], label: S.keyJump, run: function () { setJump(""); },
    match: function (k, l) { return l === "g"; } });
});
