"""Stage 7: the outputs, files beside the pages (QR codes, brochures, downloads, feeds, search...).

Each output is a plugin (base.py: Output) in a module or, when it has more than one concern, a
folder of its own; plugins.py lists them in order and runs their hooks for the pipeline.
"""
