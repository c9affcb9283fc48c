module bank.core

app bank "Ledger Bank":
  security_profile: standard
  multi_tenant: true

tenancy:
  mode: shared_schema
  partition_key: branch
  entities_excluded: [Currency, Country]
  admin_personas: [superuser, "ops"]

policies:
  classify Customer.email as pii_direct retention: long
  classify Account.iban as financial_account
  erasure Customer: anonymize
  erasure Customer.phone: redact
  audit_access: true

grant_schema branch_delegation "Branch delegation":
  description: "Lets a manager delegate approval"
  scope: branch
  relation acting_manager "Acting manager":
    granted_by: role(branch_manager)
    approved_by: role(regional_director) or role(admin)
    approval: required
    expiry: required
    max_duration: 90d
