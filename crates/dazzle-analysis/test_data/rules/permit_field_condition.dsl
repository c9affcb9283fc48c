module t.core
app t "T":
  security_profile: standard

persona clerk "Clerk":
  description: "c"

# Positive: a field condition in permit: filters rows; it is a syntax error there (scope: holds
# row filters), located after the condition as the reference locates it.
entity Ticket "Ticket":
  id: uuid pk
  owner: ref User
  permit:
    list: owner = current_user
    read: role(clerk) and owner = current_user
  scope:
    list: all
      as: clerk

# Negative: the same condition in scope:.
entity Note "Note":
  id: uuid pk
  owner: ref User
  permit:
    list: role(clerk)
  scope:
    list: owner = current_user
      as: clerk

entity User "User":
  id: uuid pk
