"""services of the frontdesk app: one module per part."""
