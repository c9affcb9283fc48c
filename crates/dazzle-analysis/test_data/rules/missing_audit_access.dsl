module t.core
app t "T":
  security_profile: standard

persona clerk "Clerk":
  description: "c"

entity Patient "Patient":
  id: uuid pk
  name: str(100)
  audit: all
  permit:
    read: role(clerk)
  scope:
    read: all
      as: clerk

entity Ledger "Ledger":
  id: uuid pk
  amount: int
  audit: all
  permit:
    read: role(clerk)
  scope:
    read: all
      as: clerk

# Positive: the last `audit_access:` wins, and `off` turns the access audit off although two
# entities hold classified personal and financial data (an entity's own `audit: all` does not
# restore it).
policies:
  audit_access: true
  classify Patient.name as PII_DIRECT
  classify Ledger.amount as financial_txn
  audit_access: off
