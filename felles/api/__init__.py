"""The partner API's plumbing that knows no app: views, pagination, renderers, filter building blocks and the
OpenAPI additions."""
