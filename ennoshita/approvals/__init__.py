"""稟議・承認: approval routes, requests and decisions, used by every request type (経費精算, 支払…)."""
