module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"

# Positive: permits without scope rules — every permitted persona sees every row.
entity Invoice "Invoice":
  id: uuid pk
  permit:
    list: role(admin) or role(member)
    read: role(admin) or role(member)
    update: role(admin)

# Positive: no permission rules at all (PERMIT_UNPROTECTED).
entity Note "Note":
  id: uuid pk

# Negative: scoped.
entity Order "Order":
  id: uuid pk
  owner: ref Note
  permit:
    list: role(member)
  scope:
    list: owner = current_user
      as: member

# Negative: system entities are exempt.
entity Heartbeat "Heartbeat":
  patterns: system
  id: uuid pk

# Positive: nothing but create is granted, and no scope: create rule checks the new rows.
entity Feedback "Feedback":
  id: uuid pk
  permit:
    create: role(member)
    delete: false
