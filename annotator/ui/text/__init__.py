"""The article view: span index, painting, layout, token cursor."""
