module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# `standard` adds four admin entities; a guide adds OnboardingState; feedback adds
# FeedbackReport; `audit on` adds AuditEntry.
entity Task "Task":
  id: uuid pk
  permit:
    read: role(member)

audit on Task:
  track: id

feedback_widget: enabled

guide welcome "Welcome":
  audience: new_users
