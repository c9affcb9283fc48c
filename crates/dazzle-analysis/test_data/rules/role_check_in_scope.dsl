module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona clerk "Clerk":
  description: "c"

# Positive: role() and has_grant() are authorization checks, refused in scope rules.
entity Ticket "Ticket":
  id: uuid pk
  owner: ref User
  permit:
    list: role(clerk) or role(admin)
    read: role(clerk)
    update: role(admin)
  scope:
    list: owner = current_user and role(clerk)
      as: clerk
    read: not (role(admin))
      as: clerk
    update: has_grant("ticket_admin", owner)
      as: admin

# Negative: the same checks in permit:, and row filters in scope:.
entity Note "Note":
  id: uuid pk
  owner: ref User
  permit:
    list: role(clerk) and has_grant("notes", owner)
  scope:
    list: owner = current_user
      as: clerk

entity User "User":
  id: uuid pk
  name: str(50)
