"""Ennoshita (縁の下): one back-office system for Japanese companies."""
