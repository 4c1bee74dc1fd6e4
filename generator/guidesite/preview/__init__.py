"""The preview server's own parts: its browser files and its differential builds."""
