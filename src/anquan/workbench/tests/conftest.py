from .demo_world import demo, signed_in
