# At the start of a top-level line: the constructs of the dialect and an entity skeleton.
module t.core

persona owner "Owner":
  description: "Owns things"

$0
