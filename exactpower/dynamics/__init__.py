"""Learning dynamics in exact arithmetic, and the questions of the article about them."""
