"""Pages written for the web collector tests, and the local site that serves them."""
