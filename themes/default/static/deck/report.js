/* Report (presenter view): after the session, planned and actual time by stage, saved as CSV. */
microlearn.deck.register("report", function (deck) {
  if (!deck.presenter) return;
  var S = deck.strings, data = deck.data, el = deck.el, plan = deck.plan, fmtDur = deck.duration, panel, seen = -1;
  function rows() {
    var t = Date.now(), out = [], by = {}, other = 0;
    deck.slides.forEach(function (s, i) {
      var n = plan.stageOf[i];
      if (!n) { other += deck.timer.onSlide(i, t); return; }
      if (!by[n]) { by[n] = { stage: +n, title: plan.title(i), node: plan.heading(i), planned: 0, actual: 0 }; out.push(by[n]); }
      by[n].planned += plan.budget[i];
      by[n].actual += deck.timer.onSlide(i, t);
    });
    out.push({ stage: 0, title: S.otherSlides, planned: plan.total - plan.sum, actual: other });
    return out;
  }
  function signed(ms) { return (ms > 0 ? (deck.rtl ? "\u200e" : "") + "+" : "") + fmtDur(ms); }
  function render() {
    var tp = 0, ta = 0;
    var body = el("tbody");
    rows().forEach(function (r) {
      tp += r.planned; ta += r.actual;
      body.appendChild(el("tr", {}, [
        el("th", { scope: "row" }, [document.createTextNode(r.stage ? deck.num(("0" + r.stage).slice(-2)) + " " : ""),
          r.node || document.createTextNode(r.title)]),
        el("td", { "class": "num", text: fmtDur(r.planned) }), el("td", { "class": "num", text: fmtDur(r.actual) }),
        el("td", { "class": "num", text: signed(r.actual - r.planned) })]));
    });
    var head = el("tr", {}, [S.stage, S.planned, S.actual, S.difference].map(function (h) { return el("th", { scope: "col", text: h }); }));
    var foot = el("tr", {}, [el("th", { scope: "row", text: S.total }), el("td", { "class": "num", text: fmtDur(tp) }),
      el("td", { "class": "num", text: fmtDur(ta) }), el("td", { "class": "num", text: signed(ta - tp) })]);
    panel.textContent = "";
    panel.appendChild(el("h2", { "class": "pv__h", text: S.report }));
    panel.appendChild(el("table", { "class": "pv__table" }, [el("thead", {}, [head]), body, el("tfoot", {}, [foot])]));
    panel.appendChild(el("p", {}, [deck.button(S.save, "save")]));
  }
  function save() {
    /* CSV in plain seconds and ASCII digits, for a spreadsheet or a script to recalibrate {time=…}. */
    /* A cell starting with = + - @ (or a tab or carriage return) is a formula to a spreadsheet: a stage titled
     * =HYPERLINK(...) would run when the file is opened. A leading ' makes it text. */
    var q = function (s) {
      s = String(s);
      return '"' + (/^[=+\-@\t\r]/.test(s) ? "'" + s : s).replace(/"/g, '""') + '"';
    };
    var lines = ["lesson,lang,stage,title,planned_seconds,actual_seconds"];
    rows().forEach(function (r) {
      lines.push([q(data.lesson), data.lang, r.stage || "", q(r.title), Math.round(r.planned / 1000), Math.round(r.actual / 1000)].join(","));
    });
    var a = el("a", { href: URL.createObjectURL(new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv" })),
      download: data.lesson + "-" + data.lang + "-timings.csv" });
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  deck.on("start", function () {
    panel = el("section", { "class": "pv__panel pv__report", "aria-label": S.report, hidden: "" });
    document.querySelector(".pv").appendChild(panel);
  });
  deck.on("render", function () {
    if (!panel) return;
    /* The table opens by itself on the last slide. */
    if (seen !== deck.current) { seen = deck.current; if (seen === deck.total - 1) panel.hidden = false; }
    if (!panel.hidden) render();
  });
  deck.action("report", function () { panel.hidden = !panel.hidden; render(); });
  deck.action("save", save);
});
