module t.core
app t "T":
  security_profile: standard

persona clerk "Clerk":
  description: "c"

# Negative: no rules at all, but a platform entity (framework-owned) is exempt.
entity Setting "Setting":
  domain: platform
  id: uuid pk
  key: str(50)

# Positive: no rules at all and not a platform entity: anyone may read and change it.
entity Board "Board":
  id: uuid pk
  title: str(50)

# Positive: a platform entity whose permit rules grant access is still unscoped.
entity Flag "Flag":
  domain: platform
  id: uuid pk
  permit:
    list: role(clerk)
