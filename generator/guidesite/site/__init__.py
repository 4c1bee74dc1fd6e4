"""Pages and files the site gets besides the content: generated pages, JSON-LD, theme
assets, the Content-Security-Policy, the service worker, the web app manifest and icons."""
