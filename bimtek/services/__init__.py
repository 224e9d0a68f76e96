"""Every write of the Bimtek, one module per family: stages and sessions, participants, attendance, check-in."""
