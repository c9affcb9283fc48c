# The cursor is on a persona inside role(...); `as:` lists and the persona itself refer to it,
# while a field that happens to share its name does not.
module t.core

persona clerk "Clerk":
  description: "Front desk"

entity Ledger "Ledger":
  id: uuid pk
  clerk: str(50)

  permit:
    list: role($0clerk)
    read: role(clerk)

  scope:
    list: all
      as: clerk
    read: all
      as: clerk

  audit: all
