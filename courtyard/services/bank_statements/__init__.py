"""Bank statements matched to transfer pledges: column layouts (``presets``), reading a file into credits
(``reading``), and matching, confirming and resolving its lines (``matching``)."""
