"""Every write that matters on OPDs, accounts and submissions lives in this package."""
