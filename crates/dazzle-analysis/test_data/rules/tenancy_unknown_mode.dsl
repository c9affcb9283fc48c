module t.core
app t "T":
  security_profile: standard

# Negative: an unknown mode is not "unimplemented" (Dazzle rejects it as a value it does not
# know); only schema_per_tenant and database_per_tenant are.
tenancy:
  mode: sharded
  partition_key: tenant_id

entity Note "Note":
  id: uuid pk
  tenant_id: uuid
