module t.core
app t "T":
  security_profile: standard
  audit_trail: true

persona admin "Admin":
  description: "a"

# Positive: the app's audit_trail does not cover an entity that opts out.
entity Customer "Customer":
  id: uuid pk
  email: email pii(category=contact)
  audit: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: the opt-out may come before the fields; a `sensitive` field requires audit too.
entity Note "Note":
  audit: false
  id: uuid pk
  body: text sensitive
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: a financial classification requires audit; `audit:false` without a space opts out.
entity Payment "Payment":
  id: uuid pk
  amount: decimal(10,2)
  audit:false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: no `audit:` line, so the app's audit_trail covers it.
entity Visit "Visit":
  id: uuid pk
  reason: text pii(category=health)
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: an explicit operation list is enabled audit.
entity Address "Address":
  id: uuid pk
  street: str(200) pii(category=contact)
  audit: [create, update, delete]
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: nothing sensitive, so opting out is fine — even with a class that is not personal.
entity Tag "Tag":
  id: uuid pk
  label: str(40)
  audit: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

policies:
  classify Payment.amount as FINANCIAL_TXN
  classify Tag.label as business_internal
