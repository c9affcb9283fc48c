# A module header: module, use lines (one with an alias), app with a config body.
module clinic.core
use clinic.shared
use clinic.billing as billing

app clinic "Clinic Portal":
  description: "Appointments and records for a small clinic"
  security_profile: strict
  multi_tenant: true
  audit_trail: true
  theme: linear-dark
  onboarding: "guided"
