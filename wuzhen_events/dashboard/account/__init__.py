"""One's own account: who one is signed in as, with which role and scope; the password."""
