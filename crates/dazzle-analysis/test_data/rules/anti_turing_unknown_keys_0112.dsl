#- dialect: 0.112
module t.core
app t "T":
  security_profile: standard

# Positive (0.112): control flow under keys a persona and a 0.112 construct do not know.
persona clerk "Clerk":
  description: "c"
  habit: while busy do nothing
  notes:
    if late then skip

job reminder "Reminder":
  schedule: cron("0 8 * * *")
  fallback: for each invoice yield reminder
  run: app.jobs:remind

# Negative (0.112): enum values and step names that are banned words.
enum Outcome "Outcome":
  case "Case"
  return "Return"

entity Task "Task":
  id: uuid pk
  outcome: enum[case, return] = case
  permit:
    read: role(clerk)
  scope:
    read: all
      as: clerk
  audit: all
