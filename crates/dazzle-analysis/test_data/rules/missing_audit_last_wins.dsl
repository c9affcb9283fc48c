module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"

# Positive: `audit: all` then `audit: false` — the last line wins and disables audit.
entity Patient "Patient":
  id: uuid pk
  name: str(100) pii(category=identity)
  audit: all
  audit: false
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Positive: three lines, the last one opting out (`audit: true` and `audit: []` both enable).
entity Claim "Claim":
  audit: true
  id: uuid pk
  policy_number: str(40) sensitive
  audit: []
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
  audit: false

# Positive: special-category data, and the last line drops read from the audited operations.
entity Diagnosis "Diagnosis":
  id: uuid pk
  code: str(20) pii(category=health, sensitivity=special_category)
  audit: all
  audit: [create update]
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: `audit: false` then `audit: all` — the last line enables audit.
entity Prescription "Prescription":
  id: uuid pk
  drug: str(80) pii(category=health)
  audit: false
  audit: all
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative: special-category data whose last line audits read (commas are optional).
entity Allergy "Allergy":
  id: uuid pk
  substance: str(80) pii(category=health, sensitivity=special_category)
  audit: [create]
  audit: [read update]
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
