"""The investment-promotion portal generator: catalog -> validation -> model -> plan -> pages -> site."""
