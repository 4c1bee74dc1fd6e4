"""A built site as a release: pack it with a manifest, verify it, install it on a server."""
