"""services of the affairs app: one module or package per part (a part over ~400 lines is a package)."""
