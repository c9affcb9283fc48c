module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"

# Positive: `signable: true` requires audit, and an explicit `audit: false` beats its default.
entity Contract "Contract":
  id: uuid pk
  title: str(200)
  signable: true
  audit: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: the opt-out written before `signable:` still wins.
entity Waiver "Waiver":
  id: uuid pk
  audit: false
  signer_email: email pii(category=contact)
  signable: true
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: the last `signable:` line wins, so this entity is not signable and nothing audits it.
entity Draft "Draft":
  id: uuid pk
  author_email: email pii(category=contact)
  signable: true
  signable: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: signable without `audit:` is audited by the framework.
entity Lease "Lease":
  id: uuid pk
  tenant_email: email pii(category=contact)
  signable: true
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: an explicit list on a signable entity is enabled audit.
entity Quote "Quote":
  id: uuid pk
  signable: true
  audit: [update, delete]
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
