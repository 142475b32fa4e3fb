/* Dialogs: a confirmation box and a toast (a short status line), for the other controllers. */
microlearn.deck.register("dialogs", function (deck) {
  var S = deck.strings, el = deck.el, toastEl;
  /* A frame sandboxed without allow-forms (Kolibri plays a package in one) submits no form, method=dialog
     included: there a dialog's button would do nothing. So the button closes its dialog itself. */
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("form[method=dialog] button");
    var d = b && b.type === "submit" && b.closest("dialog");
    if (d) { e.preventDefault(); d.close(b.value); }
  });
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
