module t.core
app t "T":
  security_profile: standard

persona clerk "Clerk":
  description: "c"

entity Person "Person":
  id: uuid pk
  name: str(100)
  name_len: computed length(name)
  audit: all
  permit:
    read: role(clerk)
  scope:
    read: all
      as: clerk

# Positive: a classification of a field, an entity or a stored field that does not exist (a
# computed one is not stored; Dazzle refuses it);
# it protects nothing and counts for no audit requirement.
policies:
  classify Person.ghost_field as pii_direct
  classify Nobody.name as pii_direct
  classify Person.name_len as pii_direct
  classify Person.name as pii_direct
#- file: second.dsl
module t.second

entity Payment "Payment":
  id: uuid pk
  amount: int

# Negative: Dazzle uses only the first module's policies: block (modules in dependency order,
# then as found); this one is ignored, so its `audit_access: false` and its classification
# change nothing.
policies:
  classify Payment.amount as financial_txn
  audit_access: false
