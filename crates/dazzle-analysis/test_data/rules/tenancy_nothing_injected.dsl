module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona clerk "Clerk":
  description: "c"

# Positive: shared_schema with a tenant entity, but the only other entity is excluded and
# platform entities are never fenced: nothing receives `tenant_id`.
tenancy:
  mode: shared_schema
  entities_excluded: [Catalog]

entity Workspace "Workspace":
  archetype: tenant
  id: uuid pk

entity Catalog "Catalog":
  id: uuid pk

entity Job "Job":
  domain: platform
  id: uuid pk
