# Completion inside role(…) offers the personas.
module t.core

persona owner "Owner":
  description: "Owns things"

persona auditor "Auditor":
  description: "Reads everything"

entity Note "Note":
  id: uuid pk

  permit:
    list: role($0)
