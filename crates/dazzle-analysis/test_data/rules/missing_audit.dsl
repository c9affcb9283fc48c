module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"

# Positive: pii without any audit.
entity Customer "Customer":
  id: uuid pk
  email: email pii(category=contact)
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: sensitive data, explicitly opted out.
entity Note "Note":
  id: uuid pk
  body: text sensitive
  audit: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: special-category data whose reads are not audited.
entity Diagnosis "Diagnosis":
  id: uuid pk
  code: str(20) pii(category=health, sensitivity=special_category)
  audit: [create, update]
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: audited.
entity Patient "Patient":
  id: uuid pk
  name: str(100) pii(category=identity)
  audit: all
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: signable entities are audited by the framework.
entity Contract "Contract":
  id: uuid pk
  signer_email: email pii(category=contact)
  signable: true
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: no field is marked, but a classify names it pii_indirect.
entity Product "Product":
  id: uuid pk
  title: str(100)
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

policies:
  classify Product.title as pii_indirect
