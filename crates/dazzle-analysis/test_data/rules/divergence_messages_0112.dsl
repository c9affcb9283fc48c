#- dialect: 0.112
module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona clerk "Clerk":
  description: "c"

# Positive: the legacy `write:` names create and update; its role conjunction diverges for both.
entity Payout "Payout":
  id: uuid pk
  access:
    read: role(admin)
    write: role(admin) and role(clerk)

# Negative: one role, named twice.
entity Memo "Memo":
  id: uuid pk
  access:
    read: role(clerk) and role(clerk)
