

# Blank lines: none at the start, one between top-level constructs (inserted after a body),
# at most one inside blocks, none at the end, exactly one final line break.
module shop.core
use shop.records



persona admin "Admin":
  description: "a"


  goals: "b"
persona clerk "Clerk":
  description: "c"
# A comment right after a body gets a blank line before it, and keeps its construct.
entity Order "Order":
  id: uuid pk




