"""Forms of the participants app, one module per area."""
