"""selectors of the affairs app: one module per part."""
