"""Help: the glossary of the portal's terms and a guide per persona (static, translatable pages)."""
