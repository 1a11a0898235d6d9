"""Publish: put what the writer wrote where readers find it, whole or not at all."""
