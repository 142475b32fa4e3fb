/* Print: the slides one a page, with or without the narration (?notes in the URL prints it too). */
microlearn.deck.register("print", function (deck) {
  deck.print = function (notes) {
    deck.root.classList.toggle("print-notes", notes);
    window.print();
  };
  if (/(^\?|&)notes(&|=|$)/.test(location.search)) deck.root.classList.add("print-notes");
});
