/* Dialogs: a confirmation box and a toast (a short status line), for the other controllers. */
microlearn.deck.register("dialogs", function (deck) {
  var S = deck.strings, el = deck.el, toastEl;
  deck.toast = function (text) {
    if (!toastEl) { toastEl = el("p", { "class": "toast", role: "status" }); document.body.appendChild(toastEl); }
    toastEl.textContent = text;
    toastEl.hidden = !text;
  };
  deck.confirm = function (message, yes, then) {
    var d = el("dialog", { "class": "dialog", role: "alertdialog", "aria-label": message }, [el("p", { text: message })]);
    var form = el("form", { method: "dialog", "class": "dialog__actions" }, [
      el("button", { value: "cancel", "class": "btn", autofocus: "", text: S.cancel }),
      el("button", { value: "yes", "class": "btn btn--danger", text: yes })
    ]);
    d.appendChild(form);
    d.addEventListener("close", function () { d.remove(); if (d.returnValue === "yes") then(); });
    document.body.appendChild(d);
    d.showModal();
  };
});
