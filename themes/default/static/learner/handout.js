/* The handout and the narration, in the learner's deck: the handout opens in a dialog over the slides
   (an LMS's frame may forbid pop-ups and leaving the page would end the session); N shows the current
   slide's narration under it, the words the trainer would say. */
microlearn.deck.register("handout", function (deck) {
  var S = deck.learner.strings, el = deck.el, doc = document, dialog;
  deck.action("handout", function (e) {
    e.preventDefault();
    if (!dialog) {
      var link = e.target.closest("a");
      dialog = el("dialog", { "class": "handout-dialog", "aria-label": S.handout }, [
        el("form", { method: "dialog", "class": "handout-dialog__bar" }, [el("button", { "class": "btn", value: "close", text: S.close })]),
        el("iframe", { src: link.getAttribute("href"), title: S.handout })
      ]);
      doc.body.appendChild(dialog);
    }
    dialog.showModal();
  });
  var panel = doc.getElementById("narration"), button = doc.querySelector("[data-action=narration]"), on = false;
  function render() {
    if (!panel || !on) return;
    var notes = deck.slides[deck.current].querySelector(".notes");
    panel.textContent = "";
    if (notes) [].forEach.call(notes.childNodes, function (n) { panel.appendChild(n.cloneNode(true)); });
    else panel.appendChild(el("p", { text: S.noNotes }));
  }
  function toggle() {
    on = !on;
    panel.hidden = !on;
    button.setAttribute("aria-pressed", String(on));
    deck.root.classList.toggle("has-narration", on);
    render();
  }
  deck.action("narration", toggle);
  deck.shortcut({ keys: ["N"], label: S.keyNarration, run: toggle, match: function (k, l) { return l === "n"; } });
  deck.on("render", render);
});
