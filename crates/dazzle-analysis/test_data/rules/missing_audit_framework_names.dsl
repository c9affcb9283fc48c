module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"

# Positive: entities named like the framework's, marked `patterns: system` or `domain:
# platform`, are the app's own and hold personal data: not exempt.
entity AuditEntry "Audit entry":
  id: uuid pk
  actor_email: email pii(category=contact)
  patterns: system
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

entity SystemHealth "System health":
  id: uuid pk
  operator_phone: str(30) pii(category=contact)
  domain: platform
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

entity User "User":
  id: uuid pk
  email: email pii(category=contact)
  archetype: user

entity ProcessRun "Process run":
  id: uuid pk
  requested_by: email sensitive
  audit: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: the same kind of entity, audited.
entity SessionInfo "Session info":
  id: uuid pk
  ip_address: str(45) pii(category=technical)
  patterns: system
  audit: all
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
