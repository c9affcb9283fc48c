module t.core
app t "T":
  security_profile: standard

persona lead "Lead":
  description: "l"

# Positive: `role` is the keyword of a role check, not a field to compare (Dazzle: "Expected (").
entity Task "Task":
  id: uuid pk
  role: str(20)
  permit:
    list: role(lead)
  scope:
    list: role = "lead"
      as: lead

# Negative: a role check, and a field whose name merely starts with `role`.
entity Note "Note":
  id: uuid pk
  role_name: str(20)
  permit:
    list: role(lead)
  scope:
    list: role_name = "lead"
      as: lead
