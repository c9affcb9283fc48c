module t.core
app t "T":
  security_profile: strict

persona clerk "Clerk":
  description: "c"

entity Tag "Tag":
  id: uuid pk
  label: str(100)
  permit:
    read: role(clerk)
  scope:
    read: all
      as: clerk

# Negative: `audit_access: false`, but nothing classified is sensitive.
policies:
  classify Tag.label as public
  audit_access: false

# Negative: `yes` keeps the access audit on.
#- file: second.dsl
module t.second

policies:
  audit_access: yes
