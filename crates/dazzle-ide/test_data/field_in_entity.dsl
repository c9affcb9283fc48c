# The cursor is on a field used in a scope predicate: references stay inside the entity,
# and the other entity's field of the same name is untouched.
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
    list: $0author = current_user
      as: owner
    read: author = current_user
      as: owner

  audit: all

entity User "User":
  id: uuid pk
  author: str(20)
