module t.core
app t "T":
  security_profile: standard

entity Person "Person":
  id: uuid pk
  name: str(100)
  audit: all

# Positive: the value of `audit_access:` is one word; a number, a string or nothing is a syntax
# error (Dazzle rejects the file), not an opt-out.
policies:
  classify Person.name as pii_direct
  audit_access: 0
  audit_access: "false"
  audit_access:
