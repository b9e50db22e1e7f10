"""The pipeline's stages, each a function of its input and its config."""
