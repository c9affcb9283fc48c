module t.core
app t "T":
  security_profile: strict
  audit_trail: true

persona admin "Admin":
  description: "a"

# Negative: the app-level audit trail covers it.
entity Customer "Customer":
  id: uuid pk
  email: email pii(category=contact)
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive (an error under strict): opted out of the audit trail.
entity Lead "Lead":
  id: uuid pk
  phone: str(30) pii(category=contact)
  audit: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive (an error under strict): unscoped.
entity Log "Log":
  id: uuid pk
  permit:
    read: role(admin)
