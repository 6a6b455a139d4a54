"""Invest Shaoyang portal generator: catalog -> validation -> model -> pages -> site."""
