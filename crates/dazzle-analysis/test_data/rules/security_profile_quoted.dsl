module t.core
# Negative: a quoted profile is the profile (`"strict"`), not an unknown value; strict raises
# unscoped-entity to an error.
app t "T":
  security_profile: "strict"

persona clerk "Clerk":
  description: "c"

entity Log "Log":
  id: uuid pk
  permit:
    read: role(clerk)
