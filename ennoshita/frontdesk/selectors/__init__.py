"""selectors of the frontdesk app: one module per part."""
