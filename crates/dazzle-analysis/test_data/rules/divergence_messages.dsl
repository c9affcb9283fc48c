module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona clerk "Clerk":
  description: "c"

# Negative: the same role twice is one role, not a conjunction.
entity Memo "Memo":
  id: uuid pk
  permit:
    list: role(clerk) and role(clerk)
  scope:
    list: all
      as: clerk

# Positive: forbid rules with a conjunction of roles and with a grant check.
entity Payout "Payout":
  id: uuid pk
  owner: ref User
  permit:
    list: role(admin) or role(clerk)
  forbid:
    list: role(admin) and role(clerk)
    delete: has_grant("payout_hold", owner)
    update: not (has_grant("payout_edit", owner))
  scope:
    list: all
      as: admin, clerk

entity User "User":
  id: uuid pk
