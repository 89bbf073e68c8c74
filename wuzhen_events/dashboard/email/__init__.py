"""E-mail to delegates: compose for the delegates table's filter, preview, send, and each
campaign's message log with a retry of its failures."""
