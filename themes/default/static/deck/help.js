/* Help (?): the keys of every shortcut the controllers registered, and the print buttons. */
microlearn.deck.register("help", function (deck) {
  var S = deck.strings, el = deck.el, help;
  function showHelp() {
    if (!help) {
      var list = el("dl", { "class": "keys" });
      deck.shortcuts.forEach(function (s) {
        if (!s.label) return;
        list.appendChild(el("dt", {}, s.keys.map(function (k) { return el("kbd", { text: deck.num(k) }); })));
        list.appendChild(el("dd", { text: s.label }));
      });
      help = el("dialog", { "class": "dialog", "aria-labelledby": "ml-help-title" }, [
        el("h2", { id: "ml-help-title", text: S.help }), list,
        el("p", { "class": "dialog__actions" }, [
          el("button", { type: "button", "class": "btn", text: S.print, on: function () { help.close(); deck.print(false); } }),
          el("button", { type: "button", "class": "btn", text: S.printNotes, on: function () { help.close(); deck.print(true); } }),
          el("button", { type: "button", "class": "btn", text: S.close, on: function () { help.close(); } })
        ])
      ]);
      document.body.appendChild(help);
    }
    if (!help.open) help.showModal();
  }
  deck.shortcut({ keys: ["?"], label: S.keyHelp, run: showHelp, match: function (k, l, e) { return k === "?" || (e.code === "Slash" && e.shiftKey); } });
  deck.action("help", showHelp);
});
