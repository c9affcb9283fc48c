module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona ops "Operations":
  description: "o"
persona clerk "Clerk":
  description: "c"

# Positive: `ops` bypasses the tenant filter and is also bound by a scope rule (the reference
# refuses the project); the partition key `org_id` is a field of no entity.
tenancy:
  mode: shared_schema
  partition_key: org_id
  admin_personas: [ops]

entity Sale "Sale":
  id: uuid pk
  total: int
  permit:
    list: role(clerk) or role(ops)
  scope:
    list: all
      as: ops, clerk

# Negative: clerk alone, not an admin persona.
entity Note "Note":
  id: uuid pk
  permit:
    list: role(clerk)
  scope:
    list: all
      as: clerk
