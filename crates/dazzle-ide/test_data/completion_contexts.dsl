# Completion in a scope condition: the entity's fields, current_user and all. The cursor sits
# right after `list: ` in the scope block.
module t.core

persona owner "Owner":
  description: "Owns things"

entity Note "Note":
  id: uuid pk
  author: ref User
  body: text

  permit:
    list: role(owner)
    read: role(owner)

  scope:
    list: $0
      as: owner

entity User "User":
  id: uuid pk
