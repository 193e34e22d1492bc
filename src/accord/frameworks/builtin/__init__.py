"""Built-in framework drafts, shipped as YAML files beside the built-in scenarios."""
