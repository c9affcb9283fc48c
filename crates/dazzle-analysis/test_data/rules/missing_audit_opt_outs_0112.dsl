#- dialect: 0.112
#- file: dazzle.toml
[project]
root = "t.core"
[modules]
paths = ["./dsl"]
#- file: dsl/app.dsl
module t.core
use t.records

app t "T":
  security_profile: standard
  audit_trail: true

persona admin "Admin":
  description: "a"
#- file: dsl/records.dsl
module t.records

# Positive (0.112): the opt-out wins over the trail, which the root module's app declares.
entity Employee "Employee":
  id: uuid pk
  name: str(120) required pii(category=identity)
  salary: decimal(10,2) required sensitive
  audit: false
  publish EmployeeChanged when updated
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# Negative (0.112): covered by the trail.
entity Review "Review":
  id: uuid pk
  notes: text pii
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
