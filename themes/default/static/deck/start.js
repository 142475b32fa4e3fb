/* Last: every controller is registered; show the first slide. */
microlearn.deck.start();
