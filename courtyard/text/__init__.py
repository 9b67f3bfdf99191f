"""How things are written: money, times and quantities on screen and paper, display names of codes, masking."""
