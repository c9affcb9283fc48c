module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"

# dazzle-lsp: allow(unscoped-entity)
entity Invoice "Invoice":
  id: uuid pk
  permit:
    read: role(admin)

entity Receipt "Receipt":  # dazzle-lsp: allow(unscoped-entity, missing-audit)
  id: uuid pk
  permit:
    read: role(admin)
