"""Reads of 業務依頼: requests (``requests``), the catalogue and teams (``catalogue``), and the cost
report (``costs``)."""
