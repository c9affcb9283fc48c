#- dialect: 0.112
module t.core
app t "T":
  security_profile: standard

persona clerk "Clerk":
  description: "c"

# Positive: Dazzle 0.112 reads `mode:` and `partition_key:` as keywords and skips both lines, so
# the tenancy is shared_schema on `tenant_id` — which no entity declares. No mode finding.
tenancy:
  mode: schema_per_tenant
  partition_key: org_ref

entity Note "Note":
  id: uuid pk
  org_ref: uuid
